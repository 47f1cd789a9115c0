import { createHash } from 'node:crypto';
import type { EchoMismatch } from '@igepay/shared';
import type {
  DeliveryAttempt,
  DeliveryRecord,
  EventRecord,
  EventType,
  OrderFilter,
  OrderRecord,
  ReceivedNotification,
  RejectedNotification,
  RejectedReason,
  RejectedRecord,
  Sink,
  UnappliedNotification,
  UnappliedRecord,
} from './order-store.js';
import { unappliedEventId } from './unapplied.js';

/** An `orders` row as both engines return it (`late` is 0/1 in SQLite, a boolean in PostgreSQL). */
export interface OrderRow {
  order_id: string;
  client_secret_hash: string;
  status: OrderRecord['status'];
  price_cents: number;
  channel: OrderRecord['channel'];
  product: string | null;
  order_name: string | null;
  order_uid: string | null;
  request_key: string;
  created_at: number;
  expires_at: number;
  paid_at: number | null;
  pay_num: string | null;
  transaction_id: string | null;
  late: number | boolean;
  failure_code: string | null;
  return_to: string | null;
  echo_mismatch: string | null;
}

export interface UnappliedRow {
  id: number;
  event_id: string;
  suppressed: number;
  reason: UnappliedRecord['reason'];
  order_id: string;
  price: string;
  pay_num: string | null;
  code: string | null;
  fields: string;
  received_at: number;
  resolved_at: number | null;
  resolved_note: string | null;
}

export function toOrder(row: OrderRow): OrderRecord {
  return {
    orderId: row.order_id,
    clientSecretHash: row.client_secret_hash,
    status: row.status,
    priceCents: row.price_cents,
    channel: row.channel,
    product: row.product,
    orderName: row.order_name,
    orderUid: row.order_uid,
    requestKey: row.request_key,
    createdAt: row.created_at,
    expiresAt: row.expires_at,
    paidAt: row.paid_at,
    payNum: row.pay_num,
    transactionId: row.transaction_id,
    late: row.late === 1 || row.late === true,
    failureCode: row.failure_code,
    returnTo: row.return_to,
    echoMismatch: row.echo_mismatch === null ? null : (JSON.parse(row.echo_mismatch) as EchoMismatch),
  };
}

export interface EventRow {
  id: string;
  type: EventType;
  order_id: string;
  body: string;
  created_at: number;
}

export interface DeliveryRow {
  event_id: string;
  sink: Sink;
  state: DeliveryRecord['state'];
  attempts: number;
  next_attempt_at: number;
  last_error: string | null;
  delivered_at: number | null;
}

export function toDelivery(row: DeliveryRow): DeliveryRecord {
  return {
    sink: row.sink,
    state: row.state,
    attempts: row.attempts,
    nextAttemptAt: row.next_attempt_at,
    lastError: row.last_error,
    deliveredAt: row.delivered_at,
  };
}

export interface AttemptRow {
  sink: Sink;
  at: number;
  ok: number | boolean;
  reply: string | null;
}

export function toAttempt(row: AttemptRow): DeliveryAttempt {
  return { sink: row.sink, at: row.at, ok: row.ok === 1 || row.ok === true, reply: row.reply };
}

export interface NotificationRow {
  received_at: number;
  fields: string;
}

export function toNotification(row: NotificationRow): ReceivedNotification {
  return { receivedAt: row.received_at, fields: JSON.parse(row.fields) as Record<string, string> };
}

/** The ids of an order's events: its paid event, and one per unapplied notification announced. */
export function eventIdsOf(orderId: string, unapplied: readonly { readonly eventId: string }[]): string[] {
  return [`evt_paid_${orderId}`, ...unapplied.map((record) => record.eventId)];
}

export function toEvent(row: EventRow): Omit<EventRecord, 'deliveries'> {
  return { id: row.id, type: row.type, orderId: row.order_id, body: row.body, createdAt: row.created_at };
}

/** A kept unapplied notification from its row. */
export function toUnapplied(row: UnappliedRow): UnappliedRecord {
  return {
    id: row.id,
    eventId: row.event_id,
    suppressed: row.suppressed,
    reason: row.reason,
    orderId: row.order_id,
    price: row.price,
    payNum: row.pay_num,
    code: row.code,
    fields: JSON.parse(row.fields) as Record<string, unknown>,
    receivedAt: row.received_at,
    resolvedAt: row.resolved_at,
    resolvedNote: row.resolved_note,
  };
}

/** An unapplied notification as stored: its fields as sorted JSON, and its fingerprint. */
export interface StoredUnapplied extends Omit<UnappliedNotification, 'fields'> {
  readonly fields: string;
  readonly fingerprint: string;
  /** The hash of what igepay's sign covers and the sign: the same for every variant of one. */
  readonly signedKey: string;
  readonly eventId: string;
}

/** The most fields kept of an unapplied notification, and of each name and value. */
const MAX_FIELDS = 32;
const MAX_NAME = 64;
const MAX_VALUE = 512;

/**
 * An unapplied notification as stored: its fields as sorted JSON, bounded (what the sign does
 * not cover is anyone's to make long), and the fingerprint that keeps a repeat from being stored
 * (and announced) twice.
 */
export function storedUnapplied(notification: UnappliedNotification): StoredUnapplied {
  const { fields, ...rest } = notification;
  const bounded = Object.entries(fields)
    .map(([name, value]) => [name.slice(0, MAX_NAME), clip(value)] as const)
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .slice(0, MAX_FIELDS);
  const sortedFields = JSON.stringify(Object.fromEntries(bounded));
  const fingerprint = createHash('sha256').update(`${notification.reason}\n${sortedFields}`).digest('hex');
  const sign = typeof fields.sign === 'string' ? fields.sign : '';
  const signedKey = createHash('sha256')
    .update(`${notification.orderId}\n${notification.price}\n${sign}`)
    .digest('hex');
  return { ...rest, fingerprint, signedKey, eventId: unappliedEventId(fingerprint), fields: sortedFields };
}

function clip(value: unknown): unknown {
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  if (typeof text !== 'string' || text.length <= MAX_VALUE) return value;
  return `${text.slice(0, MAX_VALUE)}…`;
}

/** A `rejected_notifications` row. */
export interface RejectedRow {
  id: number;
  received_at: number;
  client_address: string;
  content_type: string | null;
  reason: RejectedReason;
  detail: string;
  fields: string | null;
  excerpt: string | null;
}

/** A refused notification as stored: its fields as JSON. */
export interface StoredRejected extends Omit<RejectedNotification, 'fields'> {
  readonly fields: string | null;
}

/** A refused notification as stored. */
export function storedRejected(notification: RejectedNotification): StoredRejected {
  return {
    ...notification,
    fields: notification.fields === null ? null : JSON.stringify(notification.fields),
  };
}

/** A kept refused notification from its row. */
export function toRejected(row: RejectedRow): RejectedRecord {
  return {
    id: row.id,
    reason: row.reason,
    detail: row.detail,
    receivedAt: row.received_at,
    clientAddress: row.client_address,
    contentType: row.content_type,
    fields: row.fields === null ? null : (JSON.parse(row.fields) as Record<string, string>),
    excerpt: row.excerpt,
  };
}

/** Day number `n` since 1970-01-01 (in the caller's time zone) as `2026-12-02`. */
export function dayOf(n: number): string {
  return new Date(n * 86_400_000).toISOString().slice(0, 10);
}

/**
 * The exclusive upper bound of `created_at` for a list: its `until`, and below a page's cursor
 * too. Passed as one plain range, it lets the engines walk orders_by_created from the cursor
 * down, not from the newest order (the cursor's own OR only settles ties).
 */
export function untilOf(filter: OrderFilter): number {
  const until = filter.until ?? Number.MAX_SAFE_INTEGER;
  return filter.after ? Math.min(until, filter.after.createdAt + 1) : until;
}
