import { OrderStatus } from '@igepay/shared';
import type { FastifyBaseLogger } from 'fastify';
import type { DueDelivery, OrdersStore, OutboxStore, Sink } from '../store/order-store.js';
import { nextDelay, type RetryPolicy } from './retry.js';
import type { DeliverOnce } from './sinks.js';

/**
 * How long a claimed delivery is kept from other instances (PostgreSQL): longer than a
 * forward can take (it gives up after 10 s), so only a dead instance's claims lapse, and
 * short, because an instance killed mid-attempt leaves its claims to lapse before another
 * instance (or itself, restarted) retries them.
 */
const CLAIM_MS = 20_000;

/** What the deliverer needs. */
export interface DelivererOptions {
  readonly store: Pick<OutboxStore, 'dueDeliveries' | 'recordDelivery'> & Pick<OrdersStore, 'onChange'>;
  readonly sinks: Partial<Record<Sink, DeliverOnce>>;
  readonly retry: RetryPolicy;
  readonly now: () => number;
  readonly log: FastifyBaseLogger;
  /** How often due deliveries are looked for. Default 1000 ms; a paid order wakes it at once. */
  readonly pollMs?: number;
  /** Deliveries attempted at the same time. Default 8. */
  readonly concurrency?: number;
  /** Told of every failed attempt (for metrics). */
  readonly onFailure?: (sink: Sink) => void;
}

/**
 * Delivers the outbox: every due delivery is attempted, and its outcome recorded; a failure
 * is retried with backoff until it succeeds or its event is older than the retry window.
 * Everything it needs is in the store, so a restart picks up where it stopped.
 */
export class Deliverer {
  readonly #options: DelivererOptions;
  readonly #inFlight = new Map<string, Promise<void>>();
  #timer: NodeJS.Timeout | undefined;
  #running = false;
  #stopped = false;
  #again = false;
  #wakeScheduled = false;
  #unsubscribe: (() => void) | undefined;

  constructor(options: DelivererOptions) {
    this.#options = options;
  }

  /**
   * Starts polling; a change to paid wakes it within the turn. With no sink configured a
   * payment queues nothing, so only the poll looks (for what a sink since removed left).
   */
  start(): void {
    if (Object.keys(this.#options.sinks).length > 0) {
      this.#unsubscribe = this.#options.store.onChange((change) => {
        if (change.status === OrderStatus.Paid) this.#wake();
      });
    }
    this.kick();
  }

  /**
   * One look for a turn's payments: a group's orders are paid one after another, and a look
   * for each (a read of the outbox) showed in the notification's profile.
   */
  #wake(): void {
    if (this.#wakeScheduled) return;
    this.#wakeScheduled = true;
    setImmediate(() => {
      this.#wakeScheduled = false;
      this.kick();
    });
  }

  /** Looks for due deliveries now. */
  kick(): void {
    if (this.#stopped) return;
    if (this.#running) {
      this.#again = true;
      return;
    }
    clearTimeout(this.#timer);
    this.#running = true;
    void this.#round().finally(() => {
      this.#running = false;
      if (this.#stopped) return;
      if (this.#again) {
        this.#again = false;
        this.kick();
      } else {
        this.#timer = setTimeout(() => this.kick(), this.#options.pollMs ?? 1000);
        this.#timer.unref();
      }
    });
  }

  /** Stops looking, and waits for the attempts in flight to be recorded. */
  async stop(): Promise<void> {
    this.#stopped = true;
    clearTimeout(this.#timer);
    this.#unsubscribe?.();
    await Promise.allSettled(this.#inFlight.values());
  }

  async #round(): Promise<void> {
    const { store, now, log } = this.#options;
    const room = (this.#options.concurrency ?? 8) - this.#inFlight.size;
    if (room <= 0) return;
    let due: DueDelivery[];
    try {
      const at = now();
      due = await store.dueDeliveries(at, room + this.#inFlight.size, at + CLAIM_MS);
    } catch (err) {
      log.error({ err }, 'cannot read due deliveries; trying again later');
      return;
    }
    for (const delivery of due) {
      const key = `${delivery.event.id}\n${delivery.sink}`;
      if (this.#inFlight.has(key) || this.#inFlight.size >= (this.#options.concurrency ?? 8)) continue;
      const attempt = this.#attempt(delivery).then((recorded) => {
        this.#inFlight.delete(key);
        // A free slot may take a delivery that was left waiting (not when the store failed:
        // the unrecorded delivery is still due and would be attempted again at once).
        if (recorded && !this.#stopped) this.kick();
      });
      this.#inFlight.set(key, attempt);
    }
  }

  /** One attempt; resolves with whether its outcome was recorded. */
  async #attempt(delivery: DueDelivery): Promise<boolean> {
    const { store, now, log, retry } = this.#options;
    const { event, sink } = delivery;
    const deliver = this.#options.sinks[sink];
    let error: string | null = null;
    let reply: string | null = null;
    try {
      if (!deliver) throw new Error(`the ${sink} sink is not configured now`);
      reply = (await deliver(delivery)) ?? null;
    } catch (cause) {
      error = (cause instanceof Error ? cause.message : String(cause)).slice(0, 500);
    }
    const at = now();
    const attempts = delivery.attempts + 1;
    const gaveUp = error !== null && at - event.createdAt >= retry.giveUpAfterMs;
    const state = error === null ? 'delivered' : gaveUp ? 'failed' : 'pending';
    const nextAttemptAt = state === 'pending' ? at + nextDelay(retry, attempts) : at;
    const fields = { event_id: event.id, event_type: event.type, sink, attempts };
    if (error !== null) this.#options.onFailure?.(sink);
    if (state === 'delivered') log.info({ event: 'event.delivered', ...fields }, 'event delivered');
    else if (state === 'failed')
      log.error({ event: 'event.failed', ...fields, error }, 'event given up after the retry window');
    else
      log.warn(
        { event: 'event.retry', ...fields, error, next_attempt_at: new Date(nextAttemptAt).toISOString() },
        'event delivery failed; will retry',
      );
    try {
      await store.recordDelivery({
        eventId: event.id,
        sink,
        state,
        nextAttemptAt,
        error,
        deliveredAt: state === 'delivered' ? at : null,
        attemptedAt: at,
        reply: reply ?? error,
      });
      return true;
    } catch (err) {
      // Not recorded: it stays due and is attempted again (receivers dedupe on the event id).
      log.error({ err, ...fields }, 'cannot record a delivery attempt');
      return false;
    }
  }
}
