import { NOTIFY_ACK } from '@igepay/shared';
import type { Journal } from './journal.js';
import type { Delivery, Payment } from './payments.js';

/** What the notifier needs. */
export interface NotifierOptions {
  readonly journal: Journal;
  /** Waits before each resend; after the last one, the notifier gives up. */
  readonly retryDelaysMs: readonly number[];
  readonly attemptTimeoutMs: number;
  readonly now: () => number;
}

/** The reply text kept in the journal, cut short. */
const REPLY_LIMIT = 500;

/**
 * Delivers notifications to `notify_url` as igepay does: a form POST, resent on a schedule
 * until the reply is exactly `success` (docs/protocol.md §1.3).
 */
export class Notifier {
  readonly #timers = new Map<NodeJS.Timeout, () => void>();
  readonly #stop = new AbortController();

  constructor(private readonly options: NotifierOptions) {}

  /**
   * Starts delivering one copy of a notification after `afterMs`. Resolves when its first
   * attempt has finished, whatever the merchant answered.
   */
  deliver(payment: Payment, body: Record<string, string>, afterMs: number): Promise<void> {
    const delivery: Delivery = {
      copy: payment.deliveries.length + 1,
      body,
      attempts: 0,
      state: 'waiting',
      nextAt: this.options.now() + afterMs,
      lastReply: undefined,
    };
    payment.deliveries.push(delivery);
    return new Promise((resolve) => {
      this.#later(afterMs, () => this.#attempt(payment, delivery).finally(resolve));
    });
  }

  /** Stops every pending resend and aborts attempts in flight. */
  close(): void {
    this.#stop.abort();
    // Run what was waiting now: each attempt sees the stop, marks itself stopped and settles.
    const waiting = [...this.#timers];
    this.#timers.clear();
    for (const [timer, run] of waiting) {
      clearTimeout(timer);
      run();
    }
  }

  #later(ms: number, run: () => void): void {
    if (this.#stop.signal.aborted) {
      run();
      return;
    }
    const timer = setTimeout(() => {
      this.#timers.delete(timer);
      run();
    }, ms);
    this.#timers.set(timer, run);
  }

  async #attempt(payment: Payment, delivery: Delivery): Promise<void> {
    if (this.#stop.signal.aborted) {
      delivery.state = 'stopped';
      return;
    }
    const url = payment.request.notify_url;
    const startedAt = this.options.now();
    delivery.attempts += 1;
    delivery.state = 'sending';
    delivery.nextAt = undefined;
    let status: number | undefined;
    let reply: string | undefined;
    let error: string | undefined;
    try {
      const response = await fetch(url, {
        method: 'POST',
        headers: {
          'content-type': 'application/x-www-form-urlencoded; charset=utf-8',
          'user-agent': 'igepay-sandbox',
        },
        body: new URLSearchParams(delivery.body).toString(),
        redirect: 'manual',
        signal: AbortSignal.any([this.#stop.signal, AbortSignal.timeout(this.options.attemptTimeoutMs)]),
      });
      status = response.status;
      reply = await response.text();
    } catch (cause) {
      error = describeFailure(cause);
    }
    // igepay reads the body only: exactly `success` acknowledges, anything else is resent.
    const acked = reply === NOTIFY_ACK;
    const retryInMs = acked ? undefined : this.options.retryDelaysMs[delivery.attempts - 1];
    delivery.lastReply = reply === undefined ? error : clipReply(reply);
    if (acked) delivery.state = 'acked';
    else if (this.#stop.signal.aborted) delivery.state = 'stopped';
    else if (retryInMs === undefined) delivery.state = 'gave-up';
    else {
      delivery.state = 'waiting';
      delivery.nextAt = this.options.now() + retryInMs;
      this.#later(retryInMs, () => void this.#attempt(payment, delivery));
    }
    this.options.journal.add({
      kind: 'notify',
      at: startedAt,
      payNum: payment.payNum,
      orderId: payment.request.order_id,
      copy: delivery.copy,
      attempt: delivery.attempts,
      url,
      sent: delivery.body,
      status,
      reply: reply === undefined ? undefined : clipReply(reply),
      error,
      durationMs: this.options.now() - startedAt,
      acked,
      retryInMs: delivery.state === 'waiting' ? retryInMs : undefined,
    });
  }
}

function clipReply(reply: string): string {
  return reply.length > REPLY_LIMIT ? `${reply.slice(0, REPLY_LIMIT)}…` : reply;
}

/** Why an attempt got no reply, in words a merchant can act on. */
function describeFailure(cause: unknown): string {
  if (cause instanceof DOMException && cause.name === 'TimeoutError') return 'no reply in time (timeout)';
  if (cause instanceof DOMException && cause.name === 'AbortError')
    return 'stopped: the simulator is closing';
  const inner = cause instanceof Error && cause.cause instanceof Error ? cause.cause : cause;
  const code = (inner as { code?: unknown } | undefined)?.code;
  if (code === 'ECONNREFUSED') return 'connection refused: is the merchant server running?';
  return inner instanceof Error ? inner.message : String(inner);
}
