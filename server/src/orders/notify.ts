import {
  GATEWAY_SUCCESS_CODE,
  type Notification,
  NotificationSchema,
  parsePrice,
  SignedNotificationSchema,
  type UnappliedReason,
} from '@igepay/shared';
import { classifyPayment, verifyNotificationSign } from '@igepay/shared/signing';
import type { FastifyBaseLogger } from 'fastify';
import type { Config } from '../config/config.js';
import type { OrderStore } from '../store/order-store.js';

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
 * Verifies and applies one payment notification (docs/protocol.md §1.3).
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
  // One parse in the common case; the signed subset alone when the rest is malformed.
  const parsed = NotificationSchema.safeParse(body);
  const signed = parsed.success ? parsed : SignedNotificationSchema.safeParse(body);
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

  if (!parsed.success) return keep('missing-fields');
  const notification = parsed.data;
  // Compared as amounts: igepay may echo "12.3" for "12.30" (the sign covered its own spelling).
  const claim = {
    requestKey: notification.key,
    priceCents: parsePrice(notification.price) ?? -1,
    payNum: notification.pay_num,
  };

  if (notification.code !== GATEWAY_SUCCESS_CODE) {
    const standing = classifyPayment(await store.getOrder(notification.order_id), claim);
    if (standing === 'unknown-order' || standing === 'key-mismatch' || standing === 'price-mismatch') {
      return keep(standing, notification);
    }
    await store.markFailed(notification.order_id, notification.code, now);
    return keep('code-not-success', notification);
  }

  // One conditional write makes the checks and the change together; its result tells which
  // check failed, if one did.
  const result = await store.markPaid({
    orderId: notification.order_id,
    transactionId: notification.transaction_id ?? null,
    paidAt: now,
    ...claim,
  });
  switch (result.outcome) {
    case 'paid':
      log.info(
        {
          event: 'order.paid',
          order_id: notification.order_id,
          price: notification.price,
          late: result.late,
        },
        result.late ? 'order paid after it had expired (late payment recorded)' : 'order paid',
      );
      return { accepted: true, outcome: 'paid' };
    case 'duplicate':
      // A resend of the payment we already recorded: answer again, change nothing.
      return { accepted: true, outcome: 'duplicate' };
    default:
      return keep(result.outcome, notification);
  }
}
