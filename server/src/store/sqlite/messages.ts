import type {
  AdminAction,
  AdminSession,
  DeliveryResult,
  NewOrder,
  Payment,
  ReceivedNotification,
  Sink,
} from '../order-store.js';
import type { OrderRow, StoredRejected, StoredUnapplied } from '../rows.js';

/**
 * The writes the SQLite writer thread performs (`writer.worker.js`), each with what it is
 * sent and what it answers: the one description both sides of the thread are checked against.
 */
export interface WriteOps {
  createOrder: { args: NewOrder; result: null };
  /** `late` when the order turned paid; otherwise the order as it stands (`null`: none). */
  markPaid: {
    args: Payment;
    /** The echoes' difference as stored: JSON text, or `null`. */
    result: { late: boolean; echoMismatch: string | null } | { row: OrderRow | null };
  };
  /** Whether a pending order turned failed. */
  markFailed: { args: { orderId: string; code: string; at: number }; result: boolean };
  /** The ids of the orders that expired. */
  expireDue: { args: { now: number }; result: string[] };
  recordUnapplied: { args: StoredUnapplied; result: null };
  /** Keeps a notification that repeated an order's payment. */
  recordNotification: { args: { orderId: string; notification: ReceivedNotification }; result: null };
  /** Keeps a refused notification and drops all but the `keep` most recent. */
  recordRejected: { args: { record: StoredRejected; keep: number }; result: null };
  /** A durable write that changes nothing. */
  probeWrite: { args: null; result: null };
  /** Whether a pending delivery was updated. */
  recordDelivery: { args: DeliveryResult; result: boolean };
  /** Whether the event exists (and is queued again). */
  redeliver: { args: { eventId: string; sinks: readonly Sink[]; at: number }; result: boolean };
  createAdminSession: { args: AdminSession; result: null };
  touchAdminSession: { args: { idHash: string; at: number }; result: null };
  deleteAdminSessions: { args: { idHash: string } | { lastSeenBefore: number }; result: null };
  recordAdminAction: { args: AdminAction; result: null };
  /** Whether an unresolved notification was marked resolved. */
  resolveUnapplied: { args: { id: number; at: number; note: string }; result: boolean };
}

/** The name of one write. */
export type WriteKind = keyof WriteOps;

/** One write as sent to the thread. */
export type WriteOp = { [K in WriteKind]: { id: number; kind: K; args: WriteOps[K]['args'] } }[WriteKind];

/** The outcome of one write, as the thread answers it. */
export type WriteResult =
  | { id: number; ok: true; value: unknown }
  | { id: number; ok: false; error: { name: string; message: string; code?: string } };

/**
 * What the store posts to the thread: its database (first, to a thread started ahead of it),
 * writes to commit as one group, or the end.
 */
export type ToWriter =
  | { type: 'open'; data: WriterData }
  | { type: 'ops'; ops: WriteOp[] }
  | { type: 'close' };

/** What the thread posts back: it is ready, a group is committed (or failed), or its database is closed. */
export type FromWriter = { type: 'ready' } | { type: 'done'; results: WriteResult[] } | { type: 'closed' };

/** The thread's `workerData`, or its first message when it was started ahead of the store. */
export interface WriterData {
  readonly path: string;
  readonly sinks: readonly Sink[];
  /** Baked into every event body: `false` for a sandbox database. */
  readonly livemode: boolean;
}
