import type { UnappliedReason } from '@igepay/shared';

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

/** A notification that paid an order, or repeated the payment, as received (without its `sign`). */
export interface ReceivedNotification {
  readonly receivedAt: number;
  readonly fields: Readonly<Record<string, string>>;
}

/**
 * What igepay sent besides the payments applied: notifications kept unapplied (for
 * reconciliation), refused ones (for diagnosis), and repeats of a payment.
 */
export interface NotificationsStore {
  /**
   * Keeps a validly signed notification that could not be applied; a repeat is kept once, and
   * of the variants of one signed notification (other unsigned fields), the first
   * `MAX_UNAPPLIED_VARIANTS` are kept and the rest counted on the first.
   */
  recordUnapplied(notification: UnappliedNotification): Promise<void>;

  /** The kept unapplied notifications, oldest first. */
  listUnapplied(): Promise<UnappliedRecord[]>;

  /**
   * Marks an unapplied notification dealt with, with a person's note. `false` when there is no
   * such notification or it was already resolved (a resolution is never written over).
   */
  resolveUnapplied(id: number, at: number, note: string): Promise<boolean>;

  /** Keeps a refused notification, and only the `keep` most recent ones. */
  recordRejected(notification: RejectedNotification, keep: number): Promise<void>;

  /** The kept refused notifications, newest first. */
  listRejected(limit: number): Promise<RejectedRecord[]>;

  /** How many refused notifications are kept (the newest, as {@link recordRejected} keeps them). */
  countRejected(): Promise<number>;

  /**
   * Keeps a notification that repeated an order's payment (igepay resends until it hears
   * `success`), while the order has fewer than 20 (a replay grows nothing); the one that paid
   * it is kept by {@link markPaid}.
   */
  recordNotification(orderId: string, notification: ReceivedNotification): Promise<void>;
}
