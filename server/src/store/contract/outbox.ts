import type { DeliveryState, Sink, WebhookEventType } from '@igepay/shared';

export type { Sink };

/** What an event reports. */
export type EventType = WebhookEventType;

/** One sink's delivery of an event. */
export interface DeliveryRecord {
  readonly sink: Sink;
  /** `failed`: given up after the retry window. */
  readonly state: DeliveryState;
  readonly attempts: number;
  readonly nextAttemptAt: number;
  readonly lastError: string | null;
  readonly deliveredAt: number | null;
}

/** An event for the merchant's app, with its deliveries. `body` is the exact JSON sent, every time. */
export interface EventRecord {
  readonly id: string;
  readonly type: EventType;
  readonly orderId: string;
  readonly body: string;
  readonly createdAt: number;
  readonly deliveries: readonly DeliveryRecord[];
}

/** A delivery whose next attempt is due. */
export interface DueDelivery {
  readonly event: Omit<EventRecord, 'deliveries'>;
  readonly sink: Sink;
  readonly attempts: number;
}

/** The outcome of one delivery attempt. */
export interface DeliveryResult {
  readonly eventId: string;
  readonly sink: Sink;
  readonly state: DeliveryRecord['state'];
  readonly nextAttemptAt: number;
  readonly error: string | null;
  readonly deliveredAt: number | null;
  /** When the attempt ended, and what the receiver answered (or why there was no answer). */
  readonly attemptedAt: number;
  readonly reply: string | null;
}

/** One attempt to deliver an event, as the order's timeline shows it. */
export interface DeliveryAttempt {
  readonly sink: Sink;
  readonly at: number;
  readonly ok: boolean;
  readonly reply: string | null;
}

/** See {@link OutboxStore.outboxStats}. */
export interface OutboxStats {
  readonly pendingDeliveries: number;
  /** Epoch milliseconds, or `null` when nothing is pending. */
  readonly oldestPendingAt: number | null;
  readonly unappliedNotifications: number;
}

/**
 * The outbox: events for the merchant's app and their deliveries, written in the same
 * transaction as what they report, and handed to the deliverer.
 */
export interface OutboxStore {
  /**
   * Events for the merchant's app, newest first. An `order.paid` event is written in the same
   * transaction as the change to paid (one per order, id `evt_paid_<order_id>`); a
   * `notification.unapplied` one with the kept notification. Each is queued for every sink
   * the store was opened with; a store opened without sinks writes no events.
   */
  listEvents(filter?: { readonly limit?: number | undefined }): Promise<EventRecord[]>;

  /** One event with its deliveries. */
  getEvent(eventId: string): Promise<EventRecord | undefined>;

  /**
   * Deliveries due by `now`, oldest first, claimed until `claimUntil`: an engine shared by
   * several instances hands each one to one caller and keeps it from the others until then
   * (or until its attempt is recorded). A caller that dies mid-attempt leaves it due again at
   * `claimUntil`. The embedded engine has one process, which tracks its own attempts.
   */
  dueDeliveries(now: number, limit: number, claimUntil?: number): Promise<DueDelivery[]>;

  /** Records one attempt's outcome (only on a delivery still pending). */
  recordDelivery(result: DeliveryResult): Promise<void>;

  /** Queues an event again for `sinks` (delivered or not); false if there is no such event. */
  redeliver(eventId: string, sinks: readonly Sink[], at: number): Promise<boolean>;

  /**
   * What the outbox holds, for metrics: deliveries not yet made (pending), the time the oldest
   * of their events was made, and the notifications kept unapplied.
   */
  outboxStats(): Promise<OutboxStats>;
}
