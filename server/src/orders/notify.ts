import {
  GATEWAY_SUCCESS_CODE,
  type Notification,
  NotificationSchema,
  priceEquals,
  SignedNotificationSchema,
} from '@igepay/shared';
import { safeEqual, verifyNotificationSign } from '@igepay/shared/signing';
import type { FastifyBaseLogger } from 'fastify';
import type { Config } from '../config.js';
import type { OrderStore, UnappliedReason } from '../store/store.js';

/** What became of a notification. */
export type NotifyResult =
  /** Not validly signed (or not even shaped like a notification): answer `fail`, change nothing. */
  | { readonly accepted: false; readonly reason: 'malformed' | 'bad-sign' }
  /** Validly signed and durably handled: answer `success` so igepay stops resending. */
  | {
      readonly accepted: true;
      readonly outcome: 'paid' | 'duplicate' | 'unapplied';
      readonly reason?: UnappliedReason;
    };

/** What notification handling needs from the server. */
export interface NotifyDeps {
  readonly config: Config;
  readonly store: OrderStore;
  readonly log: FastifyBaseLogger;
}

/**
 * Verifies and applies one payment notification (PROTOCOL.md 1.3).
 *
 * Order of checks: the `sign` first, on the raw strings, before anything in the body is
 * believed; then the order, its echoed key, the amount and the code. A validly signed
 * notification is never dropped: it marks the order paid, or is kept for reconciliation.
 */
export async function handleNotification(
  deps: NotifyDeps,
  body: unknown,
  now: number,
): Promise<NotifyResult> {
  const { config, store, log } = deps;
  const signed = SignedNotificationSchema.safeParse(body);
  if (!signed.success) {
    log.warn({ event: 'notify.rejected', reason: 'malformed' }, 'notification rejected: not a notification');
    return { accepted: false, reason: 'malformed' };
  }
  if (!verifyNotificationSign(signed.data, config.token.reveal())) {
    log.warn(
      { event: 'notify.rejected', reason: 'bad-sign', order_id: signed.data.order_id.slice(0, 60) },
      'notification rejected: wrong sign',
    );
    return { accepted: false, reason: 'bad-sign' };
  }

  const fields = body as Record<string, unknown>;
  const keep = async (reason: UnappliedReason, notification?: Notification): Promise<NotifyResult> => {
    await store.recordUnapplied({
      reason,
      orderId: signed.data.order_id,
      price: signed.data.price,
      payNum: notification?.pay_num ?? null,
      code: notification?.code ?? null,
      fields,
      receivedAt: now,
    });
    log.warn(
      { event: 'notify.unapplied', reason, order_id: signed.data.order_id, price: signed.data.price },
      'validly signed notification kept for reconciliation; nothing marked paid',
    );
    return { accepted: true, outcome: 'unapplied', reason };
  };

  const parsed = NotificationSchema.safeParse(body);
  if (!parsed.success) return keep('missing-fields');
  const notification = parsed.data;

  const order = await store.getOrder(notification.order_id);
  if (!order) return keep('unknown-order', notification);
  if (!safeEqual(notification.key, order.requestKey)) return keep('key-mismatch', notification);
  // Compared as amounts: igepay may echo "12.3" for "12.30" (the sign covered its own spelling).
  if (!priceEquals(notification.price, order.priceCents)) return keep('price-mismatch', notification);
  if (notification.code !== GATEWAY_SUCCESS_CODE) {
    await store.markFailed(order.orderId, notification.code, now);
    return keep('code-not-success', notification);
  }

  // A resend of the payment we already recorded: answer again, write nothing.
  if (order.status === 'paid' && order.payNum === notification.pay_num) {
    return { accepted: true, outcome: 'duplicate' };
  }
  const result = await store.markPaid({
    orderId: order.orderId,
    payNum: notification.pay_num,
    transactionId: notification.transaction_id ?? null,
    paidAt: now,
  });
  if (result.outcome === 'paid') {
    log.info(
      { event: 'order.paid', order_id: order.orderId, price: notification.price, late: result.order.late },
      result.order.late ? 'order paid after it had expired (late payment recorded)' : 'order paid',
    );
    return { accepted: true, outcome: 'paid' };
  }
  if (result.outcome === 'already-paid' && result.order.payNum === notification.pay_num) {
    return { accepted: true, outcome: 'duplicate' };
  }
  return keep(
    result.outcome === 'not-found' ? 'unknown-order' : 'already-paid-by-other-payment',
    notification,
  );
}
