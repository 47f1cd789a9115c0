import type { EchoMismatch } from './events.js';
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
  /**
   * The request key igepay echoed, when it must equal the order's (`IGEPAY_STRICT_KEY_ECHO=1`);
   * `null` when the key is not part of the decision (the default, docs/protocol.md §1.6).
   */
  readonly requestKey: string | null;
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
 * - `unknown-order`, `key-mismatch`, `price-mismatch`: it does not describe the order (the key
 *   counts only when the claim carries one).
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
  if (payment.requestKey !== null && !safeEqual(payment.requestKey, order.requestKey)) return 'key-mismatch';
  if (order.priceCents !== payment.priceCents) return 'price-mismatch';
  if (order.status !== OrderStatus.Paid) return 'payable';
  return order.payNum === payment.payNum ? 'duplicate' : 'already-paid-by-other-payment';
}

/** The longest echoed value kept in an {@link EchoMismatch}. */
export const MAX_ECHO_LENGTH = 200;

/**
 * What a notification echoed differently from what the order was sent with, or `null` when
 * its echoes agree (docs/protocol.md §1.6). Neither echo is covered by the `sign`, so neither
 * decides a payment (unless the strict key rule is on); both are worth a merchant's look.
 * A missing `key` is noted as `null`; a missing or empty `order_uid` is no difference.
 */
export function echoMismatch(
  order: { readonly requestKey: string; readonly orderUid: string | null },
  echo: { readonly key?: string | undefined; readonly order_uid?: string | undefined },
): EchoMismatch | null {
  const clip = (value: string) => value.slice(0, MAX_ECHO_LENGTH);
  const key =
    echo.key === undefined ? null : safeEqual(echo.key, order.requestKey) ? undefined : clip(echo.key);
  const uid = echo.order_uid;
  const orderUid = uid === undefined || uid === '' || uid === order.orderUid ? undefined : clip(uid);
  if (key === undefined && orderUid === undefined) return null;
  return { ...(key !== undefined && { key }), ...(orderUid !== undefined && { order_uid: orderUid }) };
}
