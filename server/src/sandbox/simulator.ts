import { isSimulatorToken, SANDBOX_TOKEN_PREFIX } from '@igepay/shared';
import { GatewayError } from './errors.js';
import { clip, Journal } from './journal.js';
import { DUPLICATE_COPIES, notificationBody } from './notifications.js';
import { Notifier } from './notifier.js';
import { newTransactionId, type Payment, PaymentBook, paymentState } from './payments.js';
import type { Fault, SimulatorSettings } from './settings.js';
import { checkPayRequest, notifyAllowed, type SandboxMerchant } from './validate.js';

/** What the simulator needs. */
export interface GatewaySimulatorOptions {
  readonly merchant: SandboxMerchant;
  readonly settings: SimulatorSettings;
  /** The clock, in epoch milliseconds. Default `Date.now`. */
  readonly now?: () => number;
}

/**
 * The igepay gateway, simulated: takes pay requests, lets the buyer pay or cancel, notifies
 * the merchant server (with the chosen faults) and sends the buyer back. Everything it
 * received and sent is in {@link GatewaySimulator.journal}.
 */
export class GatewaySimulator {
  readonly journal = new Journal();
  readonly payments = new PaymentBook();
  readonly merchant: SandboxMerchant;
  readonly settings: SimulatorSettings;
  readonly now: () => number;
  readonly #notifier: Notifier;

  constructor(options: GatewaySimulatorOptions) {
    // igepay has no test mode: a payment signed here with any other token would be real to
    // the server holding it.
    if (!isSimulatorToken(options.merchant.token.reveal())) {
      throw new Error(
        `the sandbox signs only with a sandbox token (${SANDBOX_TOKEN_PREFIX}…) or the document's test token: any other token is a live igepay token`,
      );
    }
    this.merchant = options.merchant;
    this.settings = options.settings;
    this.now = options.now ?? Date.now;
    this.#notifier = new Notifier({
      journal: this.journal,
      retryDelaysMs: this.settings.retryDelaysMs,
      attemptTimeoutMs: this.settings.attemptTimeoutMs,
      now: this.now,
    });
  }

  /**
   * A pay request (docs/protocol.md §1.1): the payment it opens, or the same payment when the same
   * order is posted again. Throws a {@link GatewayError} for anything igepay would refuse.
   */
  receive(body: unknown): { payment: Payment; repeat: boolean } {
    const fields = typeof body === 'object' && body !== null ? (body as Record<string, unknown>) : {};
    const received = Object.fromEntries(
      Object.entries(fields)
        .slice(0, 30)
        .map(([name, value]) => [name, clip(value)]),
    );
    const orderId = typeof fields.order_id === 'string' ? fields.order_id.slice(0, 50) : undefined;
    try {
      const { request, notes } = checkPayRequest(body, this.merchant, {
        htmlFilter: this.settings.faults.has('html-filter'),
        notifyAllowed: (url) => notifyAllowed(url, this.settings.notifyOrigins),
      });
      const opened = this.payments.open(request, { now: this.now(), payWindowMs: this.settings.payWindowMs });
      this.journal.add({
        kind: 'request',
        at: this.now(),
        outcome: opened.repeat ? 'repeat' : 'created',
        fields: received,
        orderId,
        payNum: opened.payment.payNum,
        code: undefined,
        msg: undefined,
        notes,
      });
      return opened;
    } catch (error) {
      if (error instanceof GatewayError) {
        this.journal.add({
          kind: 'request',
          at: this.now(),
          outcome: 'refused',
          fields: received,
          orderId,
          payNum: undefined,
          code: error.code,
          msg: error.text('en'),
          notes: [],
        });
      }
      throw error;
    }
  }

  /** The payment with this `pay_num`; throws `NOT_FOUND`. */
  get(payNum: string): Payment {
    const payment = this.payments.get(payNum);
    if (!payment) throw new GatewayError('NOT_FOUND');
    return payment;
  }

  /**
   * The buyer pays: the notification goes out (with `faults`) and the buyer's redirect is
   * scheduled. Paying again changes nothing. Resolves with the payment and a promise of the
   * first notification attempt.
   */
  pay(payNum: string, faults: ReadonlySet<Fault>): { payment: Payment; notified: Promise<void> } {
    const payment = this.get(payNum);
    const now = this.now();
    const state = paymentState(payment, now);
    if (state === 'paid') return { payment, notified: Promise.resolve() };
    if (state !== 'awaiting') throw new GatewayError('NOT_PAYABLE', [`the payment is ${state}`]);

    payment.state = 'paid';
    payment.paidAt = now;
    payment.transactionId = newTransactionId(payment.channel, now);
    payment.faults = new Set(faults);
    this.#addBuyerEntry('paid', payment);

    const body = notificationBody(payment, this.merchant.token.reveal(), faults);
    const late = faults.has('delay') || faults.has('redirect-first');
    const afterMs = late ? this.settings.delayMs : 0;
    // igepay notifies first and redirects 1-3 s later (docs/protocol.md §1.4); `redirect-first`
    // sends the buyer back before the notification, as a slow gateway effectively does.
    if (faults.has('redirect-first')) this.#redirectAt(payment, now);
    const copies = faults.has('duplicate') ? DUPLICATE_COPIES : 1;
    const notified = Promise.all(
      Array.from({ length: copies }, () => this.#notifier.deliver(payment, body, afterMs)),
    ).then(() => {
      payment.notifiedAt ??= this.now();
      if (payment.redirectAt === undefined)
        this.#redirectAt(payment, payment.notifiedAt + this.settings.returnDelayMs);
    });
    return { payment, notified };
  }

  /** The buyer cancels: the payment can no longer be paid. Cancelling again changes nothing. */
  cancel(payNum: string): Payment {
    const payment = this.get(payNum);
    const state = paymentState(payment, this.now());
    if (state === 'cancelled') return payment;
    if (state !== 'awaiting') throw new GatewayError('NOT_PAYABLE', [`the payment is ${state}`]);
    payment.state = 'cancelled';
    this.#addBuyerEntry('cancelled', payment);
    return payment;
  }

  /** Stops every pending notification resend. */
  close(): void {
    this.#notifier.close();
  }

  #redirectAt(payment: Payment, at: number): void {
    payment.redirectAt = at;
    const now = this.now();
    this.journal.add({
      kind: 'redirect',
      at: now,
      afterMs: Math.max(0, at - now),
      payNum: payment.payNum,
      orderId: payment.request.order_id,
      url: payment.request.return_url,
    });
  }

  #addBuyerEntry(kind: 'paid' | 'cancelled', payment: Payment): void {
    this.journal.add({
      kind,
      at: this.now(),
      payNum: payment.payNum,
      orderId: payment.request.order_id,
      faults: [...payment.faults],
    });
  }
}
