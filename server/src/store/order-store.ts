import type { Channel, EchoMismatch, OrderStatus, UnappliedReason, WebhookEventType } from '@igepay/shared';
import type { PaymentStanding } from '@igepay/shared/signing';
import type { StoreMode } from './mode.js';

/** An order as stored. Times are milliseconds since the epoch; amounts are integer cents. */
export interface OrderRecord {
  readonly orderId: string;
  /** SHA-256 (hex) of the client secret; the secret itself is never stored. */
  readonly clientSecretHash: string;
  readonly status: OrderStatus;
  readonly priceCents: number;
  readonly channel: Channel;
  readonly product: string | null;
  readonly orderName: string | null;
  readonly orderUid: string | null;
  /** The request key we signed the order with; igepay echoes it in the notification. */
  readonly requestKey: string;
  readonly createdAt: number;
  readonly expiresAt: number;
  readonly paidAt: number | null;
  readonly payNum: string | null;
  readonly transactionId: string | null;
  /** Paid after the order had expired (or failed): real money, recorded all the same. */
  readonly late: boolean;
  /** The gateway `code` of a failed payment. */
  readonly failureCode: string | null;
  /** Redirect mode: the merchant page the return page sends the buyer back to. */
  readonly returnTo: string | null;
  /** What the paying notification echoed differently (docs/protocol.md §1.6); `null` when it agreed. */
  readonly echoMismatch: EchoMismatch | null;
}

/** What a new order needs; it starts `pending`. */
export type NewOrder = Omit<
  OrderRecord,
  'status' | 'paidAt' | 'payNum' | 'transactionId' | 'late' | 'failureCode' | 'echoMismatch'
>;

/** A verified payment to record on an order, if the order is the one igepay describes. */
export interface Payment {
  readonly orderId: string;
  readonly payNum: string;
  readonly transactionId: string | null;
  readonly paidAt: number;
  /**
   * The request key igepay echoed, when it must equal the order's (`IGEPAY_STRICT_KEY_ECHO=1`);
   * `null` when the key does not decide (the default).
   */
  readonly requestKey: string | null;
  /** The amount igepay reports, in cents (`-1` when unreadable): it must equal the order's. */
  readonly priceCents: number;
  /**
   * What the notification echoed (each cut to 200 characters; `null` when not sent). The
   * engine records how it differs from the order on the change to paid, as `echoMismatch` of
   * `@igepay/shared/signing` tells it.
   */
  readonly echo: PaymentEcho;
  /**
   * The notification's fields as received, without its `sign`: kept with the order when this
   * payment pays it, for the order's timeline. Without them, none is kept.
   */
  readonly fields?: Readonly<Record<string, string>> | undefined;
}

/** The unsigned fields a notification echoes, as received. */
export interface PaymentEcho {
  readonly key: string | null;
  readonly orderUid: string | null;
}

/** The result of {@link OrderStore.markPaid}. */
export type MarkPaidResult =
  /**
   * This call moved the order to `paid`; `late` when it had expired or failed first;
   * `echoMismatch`: what the notification echoed differently (recorded on the order).
   */
  | { readonly outcome: 'paid'; readonly late: boolean; readonly echoMismatch: EchoMismatch | null }
  /**
   * Nothing changed, and why (`classifyPayment` of `@igepay/shared/signing`): the order is
   * unknown, is paid already (by this payment or another), or differs in key or amount.
   */
  | {
      readonly outcome: Exclude<PaymentStanding, 'payable'>;
      readonly order: OrderRecord | undefined;
    };

/** A validly signed notification kept for reconciliation because it could not be applied. */
export interface UnappliedNotification {
  readonly reason: UnappliedReason;
  readonly orderId: string;
  readonly price: string;
  readonly payNum: string | null;
  readonly code: string | null;
  /** Every received field, as received (no token: igepay never sends it). */
  readonly fields: Readonly<Record<string, unknown>>;
  readonly receivedAt: number;
  /** Kept as dealt with already, with this note: a failed payment that failed its order. */
  readonly resolvedNote?: string;
}

export { MAX_UNAPPLIED_VARIANTS } from './unapplied.js';

/** A stored unapplied notification. */
export interface UnappliedRecord extends Omit<UnappliedNotification, 'resolvedNote'> {
  readonly id: number;
  /** The id of the event that announced it (the same in every database that keeps it). */
  readonly eventId: string;
  /** Variants of the same signed notification received after the last kept (counted, not kept). */
  readonly suppressed: number;
  /** When a person marked it dealt with (in the dashboard), and what they wrote; else `null`. */
  readonly resolvedAt: number | null;
  readonly resolvedNote: string | null;
}

/**
 * Why a notification was refused (answered `fail`, nothing changed): its body could not be
 * read, it lacks a field the sign covers, or its sign is not ours.
 */
export type RejectedReason = 'unreadable' | 'malformed' | 'bad-sign' | 'too-large';

/** A refused notification, kept (bounded, secret-free) so a first live payment can be diagnosed. */
export interface RejectedNotification {
  readonly reason: RejectedReason;
  /** Why, in words. */
  readonly detail: string;
  readonly receivedAt: number;
  readonly clientAddress: string;
  readonly contentType: string | null;
  /** The fields as read (long values cut), or `null` when the body could not be read. */
  readonly fields: Readonly<Record<string, string>> | null;
  /** The start of an unreadable body. */
  readonly excerpt: string | null;
}

/** A stored refused notification. */
export interface RejectedRecord extends RejectedNotification {
  readonly id: number;
}

/** Where events go: the merchant app's endpoint (`IGEPAY_FORWARD_URL`) or the embedding app's `onPaid`. */
export type Sink = 'forward' | 'callback';

/** What an event reports. */
export type EventType = WebhookEventType;

/** One sink's delivery of an event. */
export interface DeliveryRecord {
  readonly sink: Sink;
  /** `failed`: given up after the retry window. */
  readonly state: 'pending' | 'delivered' | 'failed';
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

/** A notification that paid an order, or repeated the payment, as received (without its `sign`). */
export interface ReceivedNotification {
  readonly receivedAt: number;
  readonly fields: Readonly<Record<string, string>>;
}

/**
 * Everything the store knows of one order, for its timeline: the notifications that paid it,
 * those kept unapplied, and its events with every delivery attempt.
 */
export interface OrderHistory {
  readonly order: OrderRecord | undefined;
  readonly notifications: readonly ReceivedNotification[];
  readonly unapplied: readonly UnappliedRecord[];
  readonly events: ReadonlyArray<EventRecord & { readonly attempts: readonly DeliveryAttempt[] }>;
}

/** Which orders {@link OrderStore.listOrders} returns, newest first. */
export interface OrderFilter {
  readonly status?: OrderStatus | undefined;
  readonly channel?: Channel | undefined;
  /** A catalog product's key. */
  readonly product?: string | undefined;
  /** Created at or after this time. */
  readonly since?: number | undefined;
  /** Created before this time. */
  readonly until?: number | undefined;
  /**
   * The order id or `order_uid` exactly (by their indexes); when none is, any part of the
   * order's name, case as written (by the index of its characters and pairs of characters).
   */
  readonly search?: string | undefined;
  /** The next page: orders after this one in the list's order (newest first). */
  readonly after?: { readonly createdAt: number; readonly orderId: string } | undefined;
  readonly limit?: number | undefined;
}

/** An order's status changed; long polls waiting on it wake. */
export interface OrderChange {
  readonly orderId: string;
  readonly status: OrderStatus;
}

/**
 * Where orders live. One implementation per engine (`sqlite/store.ts`, `postgres/store.ts`);
 * routes and services only ever see this interface.
 *
 * Every mutating method is one atomic transaction, durable (on disk) when its promise
 * resolves, so a caller may acknowledge igepay only after awaiting it. Engines may group
 * several callers' writes into one commit, but never resolve before the commit.
 */
export interface OrderStore {
  /**
   * Which kind of server the database belongs to: fixed when it is first opened, and baked into
   * every event body (`livemode`).
   */
  readonly mode: StoreMode;

  /** Stores a new `pending` order. */
  createOrder(order: NewOrder): Promise<void>;

  /** Reads one order, or `undefined`. */
  getOrder(orderId: string): Promise<OrderRecord | undefined>;

  /**
   * Conditionally moves an order to `paid`, once, in one transaction: only when its amount (and
   * key, when the payment names one) are the payment's and it is not paid already (`pending`, `failed` or `expired`;
   * the latter two flag it `late`). Two concurrent calls for one order give exactly one
   * `paid` outcome. Otherwise returns why, with the order as it stands.
   */
  markPaid(payment: Payment): Promise<MarkPaidResult>;

  /** Moves a `pending` order to `failed` with the gateway's code; false if it was not pending. */
  markFailed(orderId: string, code: string, at: number): Promise<boolean>;

  /** Moves every `pending` order whose time ran out by `now` to `expired`; returns their ids. */
  expireDue(now: number): Promise<string[]>;

  /**
   * Keeps a validly signed notification that could not be applied; a repeat is kept once, and
   * of the variants of one signed notification (other unsigned fields), the first
   * `MAX_UNAPPLIED_VARIANTS` are kept and the rest counted on the first.
   */
  recordUnapplied(notification: UnappliedNotification): Promise<void>;

  /** The kept unapplied notifications, oldest first. */
  listUnapplied(): Promise<UnappliedRecord[]>;

  /** Keeps a refused notification, and only the `keep` most recent ones. */
  recordRejected(notification: RejectedNotification, keep: number): Promise<void>;

  /** The kept refused notifications, newest first. */
  listRejected(limit: number): Promise<RejectedRecord[]>;

  /** Orders, newest first. */
  listOrders(filter?: OrderFilter): Promise<OrderRecord[]>;

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
   * Calls `listener` after every committed status change (in this process now; across
   * processes for engines that can, e.g. PostgreSQL LISTEN/NOTIFY). Returns an unsubscribe.
   */
  onChange(listener: (change: OrderChange) => void): () => void;

  /**
   * Engines that hear other processes' changes over a connection call `listener` when some
   * may have gone unheard (the connection dropped); listeners re-read what they wait on.
   */
  onMissedChanges?(listener: () => void): () => void;

  /** Resolves when the store can be read; rejects otherwise. */
  ping(): Promise<void>;

  /** Commits a write that changes nothing, durably: resolves when the store takes writes. */
  probeWrite(): Promise<void>;

  /**
   * The store's clock, in epoch milliseconds, for a store several instances share: the
   * database's, so that every instance dates and expires orders alike whatever its own clock
   * says. Absent for a store of one instance (the machine's clock is the one clock).
   */
  now?(): number;

  /** Writes submitted and not yet committed (waiting for the writer or a connection), for metrics. */
  pendingWrites(): number;

  /**
   * What the outbox holds, for metrics: deliveries not yet made (pending), the time the oldest
   * of their events was made, and the notifications kept unapplied.
   */
  outboxStats(): Promise<OutboxStats>;

  /** Stores a new dashboard session. */
  createAdminSession(session: AdminSession): Promise<void>;

  /** The dashboard session whose cookie token hashes to `idHash`, or `undefined`. */
  getAdminSession(idHash: string): Promise<AdminSession | undefined>;

  /** Records that a session was used at `at` (its idle expiry starts again). */
  touchAdminSession(idHash: string, at: number): Promise<void>;

  /** Ends one session, or (with `before`) every session last used before that time. */
  deleteAdminSessions(
    which: { readonly idHash: string } | { readonly lastSeenBefore: number },
  ): Promise<void>;

  /**
   * Paid orders since `since` (by when they were paid), summed per local day and channel: the
   * day is counted `offsetMinutes` ahead of UTC (480 for China), as the merchant's calendar.
   */
  takings(filter: TakingsFilter): Promise<TakingsRow[]>;

  /** How many orders were paid late (after they had expired or failed): each needs a look. */
  countLate(): Promise<number>;

  /** How many refused notifications are kept (the newest, as {@link recordRejected} keeps them). */
  countRejected(): Promise<number>;

  /**
   * Keeps a notification that repeated an order's payment (igepay resends until it hears
   * `success`), while the order has fewer than 20 (a replay grows nothing); the one that paid
   * it is kept by {@link markPaid}.
   */
  recordNotification(orderId: string, notification: ReceivedNotification): Promise<void>;

  /**
   * One order's history, or the notifications and events of an order id the store does not
   * know (`order` undefined; all empty when nothing names it).
   */
  orderHistory(orderId: string): Promise<OrderHistory>;

  /**
   * Marks an unapplied notification dealt with, with a person's note. `false` when there is no
   * such notification or it was already resolved (a resolution is never written over).
   */
  resolveUnapplied(id: number, at: number, note: string): Promise<boolean>;

  /** Records what was done in the dashboard (the audit trail). */
  recordAdminAction(action: AdminAction): Promise<void>;

  /** The dashboard's audit trail, newest first. */
  listAdminActions(limit: number): Promise<AdminActionRecord[]>;

  /** Finishes pending writes and releases the store. */
  close(): Promise<void>;
}
export type { StoreMode } from './mode.js';

/** See {@link OrderStore.takings}. */
export interface TakingsFilter {
  /** Epoch milliseconds: payments at or after it. */
  readonly since: number;
  /** The merchant's time zone, as minutes ahead of UTC. */
  readonly offsetMinutes: number;
}

/** One local day's payments by one channel. */
export interface TakingsRow {
  /** The local day, `2026-12-02`. */
  readonly day: string;
  readonly channel: Channel;
  readonly cents: number;
  readonly count: number;
}

/** One thing done in the dashboard: by which session, from where, to what, and why. */
export interface AdminAction {
  /** Epoch milliseconds. */
  readonly at: number;
  /** `sign-in`, `sign-out`, or what was done (`redeliver`, `resolve`). */
  readonly action: string;
  /** The first 12 hex digits of the session's hash: which sign-in did it, and nothing to reuse. */
  readonly session: string;
  /** The client address, as the server sees it (the buyer's behind a trusted proxy). */
  readonly client: string;
  /** What it was done to (an order id, an event id), if anything. */
  readonly target: string | null;
  /** The note given with it, if any. */
  readonly note: string | null;
}

/** An {@link AdminAction} as stored, with its place in the trail. */
export interface AdminActionRecord extends AdminAction {
  readonly id: number;
}

/**
 * A signed-in session of the dashboard. The store keeps only the hash of the cookie's token,
 * so that a copy of the database signs nobody in; the CSRF token is the session's own.
 */
export interface AdminSession {
  /** SHA-256 of the session cookie's token, in hex. */
  readonly idHash: string;
  readonly csrfToken: string;
  /** Epoch milliseconds. */
  readonly createdAt: number;
  readonly lastSeenAt: number;
}

/** See {@link OrderStore.outboxStats}. */
export interface OutboxStats {
  readonly pendingDeliveries: number;
  /** Epoch milliseconds, or `null` when nothing is pending. */
  readonly oldestPendingAt: number | null;
  readonly unappliedNotifications: number;
}
