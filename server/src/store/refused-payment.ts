import { classifyPayment } from '@igepay/shared/signing';
import { StoreWriteError } from './errors.js';
import type { MarkPaidResult, OrderRecord, Payment } from './order-store.js';

/**
 * Why an engine's conditional change to paid changed nothing, from the order as it stands
 * after it (both engines tell it this way, as the notification handler does).
 */
export function refusedPayment(order: OrderRecord | undefined, payment: Payment): MarkPaidResult {
  const standing = classifyPayment(order, payment);
  // The condition refused it and an order never leaves `paid`, so it cannot be payable now;
  // if it seems so, fail the write (igepay resends) rather than drop a payment.
  if (standing === 'payable') {
    throw new StoreWriteError(
      `payment of order ${payment.orderId} was neither applied nor refused`,
      undefined,
    );
  }
  return { outcome: standing, order };
}
