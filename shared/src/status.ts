/**
 * The life of an order. `pending` until igepay's verified notification makes it `paid`;
 * `failed` when igepay reports a code other than `0000`; `expired` when nobody paid within
 * the order's time to live. A verified payment still moves `failed` or `expired` to `paid`:
 * real money is never refused.
 */
export const ORDER_STATUSES = ['pending', 'paid', 'failed', 'expired'] as const;

/** One of {@link ORDER_STATUSES}. */
export type OrderStatus = (typeof ORDER_STATUSES)[number];

/** Named status values, so code never spells a status as a bare string. */
export const OrderStatus = {
  Pending: 'pending',
  Paid: 'paid',
  Failed: 'failed',
  Expired: 'expired',
} as const satisfies Record<string, OrderStatus>;
