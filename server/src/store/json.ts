import { formatPrice } from '@igepay/shared';
import type { EventRecord, OrderHistory, OrderRecord, UnappliedRecord } from './order-store.js';

/*
 * The store's records as the igepay command (--json) and the dashboard show them: snake_case,
 * ISO times and exact 2-decimal prices, written once for both.
 */

/** An order as JSON. */
export function orderJson(order: OrderRecord) {
  return {
    order_id: order.orderId,
    status: order.status,
    price: formatPrice(order.priceCents),
    channel: order.channel,
    product: order.product,
    order_name: order.orderName,
    order_uid: order.orderUid,
    created_at: new Date(order.createdAt).toISOString(),
    paid_at: order.paidAt === null ? null : new Date(order.paidAt).toISOString(),
    pay_num: order.payNum,
    transaction_id: order.transactionId,
    late: order.late,
    failure_code: order.failureCode,
    echo_mismatch: order.echoMismatch,
  };
}

/** An event and its deliveries as JSON. */
export function eventJson(event: EventRecord) {
  return {
    id: event.id,
    type: event.type,
    order_id: event.orderId,
    created_at: new Date(event.createdAt).toISOString(),
    deliveries: event.deliveries.map((d) => ({
      sink: d.sink,
      state: d.state,
      attempts: d.attempts,
      next_attempt_at: d.state === 'pending' ? new Date(d.nextAttemptAt).toISOString() : null,
      last_error: d.lastError,
      delivered_at: d.deliveredAt === null ? null : new Date(d.deliveredAt).toISOString(),
    })),
  };
}

function iso(at: number): string;
function iso(at: number | null): string | null;
function iso(at: number | null): string | null {
  return at === null ? null : new Date(at).toISOString();
}

/** A notification's fields without its `sign`: what it says, nothing to try tokens against. */
function unsigned(fields: Readonly<Record<string, unknown>>): Record<string, unknown> {
  const { sign: _sign, ...rest } = fields;
  return rest;
}

/** A notification kept unapplied, and its resolution when a person has dealt with it. */
export function unappliedJson(u: UnappliedRecord) {
  return {
    id: u.id,
    event_id: u.eventId,
    reason: u.reason,
    order_id: u.orderId,
    price: u.price,
    pay_num: u.payNum,
    code: u.code,
    received_at: iso(u.receivedAt),
    fields: unsigned(u.fields),
    resolved_at: iso(u.resolvedAt),
    resolved_note: u.resolvedNote,
    suppressed_variants: u.suppressed,
  };
}

/** One order's timeline: the order, the notifications received, its events and every attempt. */
export function historyJson(history: OrderHistory & { order: OrderRecord }) {
  return {
    order: { ...orderJson(history.order), expires_at: iso(history.order.expiresAt) },
    notifications: history.notifications.map((n) => ({
      received_at: iso(n.receivedAt),
      fields: unsigned(n.fields),
    })),
    unapplied: history.unapplied.map(unappliedJson),
    events: history.events.map((event) => ({
      ...eventJson(event),
      attempts: event.attempts.map((a) => ({ sink: a.sink, at: iso(a.at), ok: a.ok, reply: a.reply })),
    })),
  };
}
