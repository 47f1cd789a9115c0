import { safeEqual } from './signing/safe-equal.js';
import { OrderStatus } from './status.js';

/** What of a stored order a payment is judged against. */
export interface PayableOrder {
  readonly status: OrderStatus;
  /** The request key the order was signed with; igepay echoes it. */
  readonly requestKey: string;
  readonly priceCents: number;
  /** igepay's number of the payment that paid it, once paid. */
  readonly payNum: string | null;
}

/** What a verified payment says about its order. */
export interface PaymentClaim {
  readonly requestKey: string;
  /** The amount igepay reports, in cents (`-1` when unreadable). */
  readonly priceCents: number;
  readonly payNum: string;
}

/**
 * How a verified payment stands against the order it names, decided in one place for both
 * store engines and the notification handler:
 * - `payable`: it describes the order, which is not paid yet (pending, failed or expired);
 * - `duplicate`: the order is paid by this very payment (igepay resent it);
 * - `already-paid-by-other-payment`: the order is paid by another payment;
 * - `unknown-order`, `key-mismatch`, `price-mismatch`: it does not describe the order.
 */
export type PaymentStanding =
  | 'payable'
  | 'duplicate'
  | 'already-paid-by-other-payment'
  | 'unknown-order'
  | 'key-mismatch'
  | 'price-mismatch';

/**
 * Classifies `payment` against `order` (see {@link PaymentStanding}); the key is compared in
 * constant time, as every signature is. Ask only once the notification's `sign` is verified.
 */
export function classifyPayment(order: PayableOrder | undefined, payment: PaymentClaim): PaymentStanding {
  if (!order) return 'unknown-order';
  if (!safeEqual(payment.requestKey, order.requestKey)) return 'key-mismatch';
  if (order.priceCents !== payment.priceCents) return 'price-mismatch';
  if (order.status !== OrderStatus.Paid) return 'payable';
  return order.payNum === payment.payNum ? 'duplicate' : 'already-paid-by-other-payment';
}
