import { formatPrice, OrderStatus, type OrderView } from '@igepay/shared';
import type { OrderRecord } from '../store/order-store.js';

/**
 * The status an order has at `now`: a pending order past its expiry is expired even before
 * the sweeper has written so.
 */
export function statusAt(order: OrderRecord, now: number): OrderStatus {
  return order.status === OrderStatus.Pending && now >= order.expiresAt ? OrderStatus.Expired : order.status;
}

/**
 * Whether a buyer's page still waits on `order` at `now`: while it is pending, and after it
 * expired for `latePaymentMs` more, since igepay may still take a payment begun just before.
 */
export function stillAwaited(order: OrderRecord, now: number, latePaymentMs: number): boolean {
  const status = statusAt(order, now);
  return (
    status === OrderStatus.Pending ||
    (status === OrderStatus.Expired && now < order.expiresAt + latePaymentMs)
  );
}

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

/** What the API shows of an order; `livemode` is `false` on a sandbox server. */
export function orderView(
  order: OrderRecord,
  now: number,
  options: { readonly livemode: boolean; readonly latePaymentMs: number },
): OrderView {
  return {
    order_id: order.orderId,
    status: statusAt(order, now),
    price: formatPrice(order.priceCents),
    channel: order.channel,
    product: order.product,
    order_name: order.orderName,
    created_at: new Date(order.createdAt).toISOString(),
    expires_at: new Date(order.expiresAt).toISOString(),
    late_until: new Date(order.expiresAt + options.latePaymentMs).toISOString(),
    paid_at: iso(order.paidAt),
    late: order.late,
    livemode: options.livemode,
  };
}
