import { randomInt } from 'node:crypto';
import { type Channel, channelOfType, type PayRequest, parsePrice } from '@igepay/shared';
import { GatewayError } from './errors.js';
import type { Fault } from './settings.js';

/** Where a payment is: `expired` is derived from the clock, never stored. */
export type PaymentState = 'awaiting' | 'paid' | 'cancelled' | 'expired';

/** One notification copy on its way to `notify_url` (duplicates are several copies). */
export interface Delivery {
  readonly copy: number;
  readonly body: Readonly<Record<string, string>>;
  attempts: number;
  state: 'waiting' | 'sending' | 'acked' | 'gave-up' | 'stopped';
  /** When the next attempt is due, while waiting. */
  nextAt: number | undefined;
  lastReply: string | undefined;
}

/** A payment at the simulated gateway: one per `order_id`. */
export interface Payment {
  /** The gateway's own order number (`pay_num` in the notification). */
  readonly payNum: string;
  readonly request: PayRequest;
  readonly channel: Channel;
  readonly priceCents: number;
  readonly createdAt: number;
  /** After this, the pay page can no longer be paid. */
  readonly expiresAt: number;
  state: 'awaiting' | 'paid' | 'cancelled';
  paidAt: number | undefined;
  /** The WeChat Pay or Alipay transaction id, made up when paid. */
  transactionId: string | undefined;
  /** The faults chosen for this payment when it was paid. */
  faults: ReadonlySet<Fault>;
  /** When the first notification attempt finished. */
  notifiedAt: number | undefined;
  /** When the buyer's browser is sent to `return_url`; unknown until the notification went out. */
  redirectAt: number | undefined;
  readonly deliveries: Delivery[];
}

/** The state of `payment` at `now`. */
export function paymentState(payment: Payment, now: number): PaymentState {
  return payment.state === 'awaiting' && now >= payment.expiresAt ? 'expired' : payment.state;
}

function digits(count: number): string {
  let text = '';
  for (let i = 0; i < count; i++) text += String(randomInt(10));
  return text;
}

/** Compact UTC date and time, `20261126031500`, as gateways start their numbers. */
function stamp(now: number): string {
  return new Date(now).toISOString().replace(/\D/g, '').slice(0, 14);
}

/** A made-up transaction id in the style of the channel (28 digits). */
export function newTransactionId(channel: Channel, now: number): string {
  return channel === 'wechat' ? `4200${digits(24)}` : `${stamp(now).slice(0, 8)}2200${digits(16)}`;
}

function sameRequest(a: PayRequest, b: PayRequest): boolean {
  const names = new Set([...Object.keys(a), ...Object.keys(b)]) as Set<keyof PayRequest>;
  for (const name of names) if (a[name] !== b[name]) return false;
  return true;
}

/**
 * The simulator's payments, by `order_id` (igepay tells new orders from repeats by it,
 * docs/protocol.md §1.1) and by `pay_num`. In memory and bounded: the oldest go first.
 */
export class PaymentBook {
  readonly #byOrderId = new Map<string, Payment>();
  readonly #byPayNum = new Map<string, Payment>();

  constructor(private readonly limit = 10_000) {}

  /**
   * The payment for a valid, correctly keyed request: a new one, or the same one when the
   * same order is posted again. The same `order_id` with other fields is refused.
   */
  open(
    request: PayRequest,
    options: { now: number; payWindowMs: number },
  ): { payment: Payment; repeat: boolean } {
    const existing = this.#byOrderId.get(request.order_id);
    if (existing) {
      if (!sameRequest(existing.request, request)) {
        throw new GatewayError('ORDER_CONFLICT', [
          `order_id ${request.order_id} is paid as pay_num ${existing.payNum}`,
        ]);
      }
      return { payment: existing, repeat: true };
    }
    const channel = channelOfType(request.type);
    if (!channel) throw new GatewayError('INVALID_FIELDS', ['type: must be 1 (WeChat Pay) or 2 (Alipay)']);
    const payment: Payment = {
      payNum: `${stamp(options.now)}${digits(6)}`,
      request,
      channel,
      priceCents: parsePrice(request.price) ?? 0,
      createdAt: options.now,
      expiresAt: options.now + options.payWindowMs,
      state: 'awaiting',
      paidAt: undefined,
      transactionId: undefined,
      faults: new Set(),
      notifiedAt: undefined,
      redirectAt: undefined,
      deliveries: [],
    };
    this.#byOrderId.set(request.order_id, payment);
    this.#byPayNum.set(payment.payNum, payment);
    if (this.#byOrderId.size > this.limit) {
      const [, oldest] = this.#byOrderId.entries().next().value ?? [];
      if (oldest) {
        this.#byOrderId.delete(oldest.request.order_id);
        this.#byPayNum.delete(oldest.payNum);
      }
    }
    return { payment, repeat: false };
  }

  /** The payment with this `pay_num`. */
  get(payNum: string): Payment | undefined {
    return this.#byPayNum.get(payNum);
  }

  /** Payments newest first, optionally only the one of `orderId`. */
  list(filter: { orderId?: string | undefined } = {}): Payment[] {
    if (filter.orderId !== undefined) {
      const payment = this.#byOrderId.get(filter.orderId);
      return payment ? [payment] : [];
    }
    return [...this.#byOrderId.values()].reverse();
  }
}
