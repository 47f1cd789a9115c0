import { formatPrice } from '@igepay/shared';
import type { EventRecord, OrderRecord } from './order-store.js';

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
