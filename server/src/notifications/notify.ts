import {
  GATEWAY_SUCCESS_CODE,
  type Notification,
  NotificationSchema,
  parsePrice,
  SignedNotificationSchema,
  type UnappliedReason,
} from '@igepay/shared';
import { checkNotificationSign, classifyPayment, MAX_ECHO_LENGTH } from '@igepay/shared/signing';
import type { FastifyBaseLogger } from 'fastify';
import type { Config } from '../config/config.js';
import type { NotificationsStore, OrdersStore, RejectedReason } from '../store/order-store.js';
import { readNotificationBody } from './notification-body.js';

/** What became of a notification. */
export type NotifyResult =
  /**
   * Not validly signed (or not even readable as a notification): answer `fail`, change no
   * order. `fields` are what could be read, for the record of refused notifications.
   */
  | {
      readonly accepted: false;
      readonly reason: Exclude<RejectedReason, 'too-large'>;
      readonly detail: string;
      readonly fields: Readonly<Record<string, string>> | undefined;
    }
  /** Validly signed and durably handled: answer `success` so igepay stops resending. */
  | {
      readonly accepted: true;
      readonly outcome: 'paid' | 'duplicate' | 'unapplied';
      readonly reason?: UnappliedReason;
    };

/** What notification handling needs from the server. */
export interface NotifyDeps {
  readonly config: Config;
  readonly store: OrdersStore & NotificationsStore;
  readonly log: FastifyBaseLogger;
}

/**
 * Verifies and applies one payment notification (docs/protocol.md §1.3, §1.6).
 *
 * Tolerant where the gateway is loose, strict where money is: the `sign` is checked first, on
 * the raw strings (or once more over the amount's 2-decimal spelling), before anything in the
 * body is believed. A payment then rests on a known order, `code` `0000` and the amount,
 * compared in cents. The echoes the sign does not cover (`key`, `order_uid`) are noted on the
 * order when they differ, never a reason to refuse (unless `IGEPAY_STRICT_KEY_ECHO=1` makes the
 * key one). A validly signed notification is never dropped: it pays its order, or is kept for
 * reconciliation.
 */
export async function handleNotification(
  deps: NotifyDeps,
  body: unknown,
  now: number,
): Promise<NotifyResult> {
  const { config, store, log } = deps;
  const read = readNotificationBody(body);
  // Refusals are logged by the route, within its budget (notifications/refusal-budget.ts).
  if (!read.ok) {
    return { accepted: false, reason: 'unreadable', detail: read.why, fields: undefined };
  }
  const { fields } = read;
  // One parse in the common case; the signed subset alone when the rest is missing.
  const parsed = NotificationSchema.safeParse(fields);
  const signed = parsed.success ? parsed : SignedNotificationSchema.safeParse(fields);
  if (!signed.success) {
    const missing = signed.error.issues.map((issue) => issue.path.join('.')).join(', ');
    const detail = `not a notification: ${missing} missing or too long`;
    return { accepted: false, reason: 'malformed', detail, fields };
  }
  const signCheck = checkNotificationSign(signed.data, config.token.reveal());
  if (!signCheck) {
    return { accepted: false, reason: 'bad-sign', detail: 'the sign is not right for this token', fields };
  }

  const keep = async (
    reason: UnappliedReason,
    notification?: Notification,
    resolvedNote?: string,
  ): Promise<NotifyResult> => {
    await store.recordUnapplied({
      reason,
      orderId: signed.data.order_id,
      price: signed.data.price,
      payNum: notification?.pay_num ?? null,
      code: notification?.code ?? null,
      fields,
      receivedAt: now,
      ...(resolvedNote !== undefined && { resolvedNote }),
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
    requestKey: config.strictKeyEcho ? (notification.key ?? '') : null,
    priceCents: parsePrice(notification.price) ?? -1,
    payNum: notification.pay_num,
  };

  if (notification.code !== GATEWAY_SUCCESS_CODE) {
    const standing = classifyPayment(await store.getOrder(notification.order_id), claim);
    if (standing === 'unknown-order' || standing === 'key-mismatch' || standing === 'price-mismatch') {
      return keep(standing, notification);
    }
    // A payment that failed its pending order is the order's story, not a person's task: kept
    // (and announced) as dealt with. Any other (an order paid or expired already) waits for one.
    const failed = await store.markFailed(notification.order_id, notification.code, now);
    return keep(
      'code-not-success',
      notification,
      failed ? `the payment failed at igepay (code ${notification.code}); the order is failed` : undefined,
    );
  }

  // One conditional write makes the checks and the change together, and records how the
  // echoes differ from the order; its result tells which check failed, if one did.
  const clip = (value: string | undefined) => (value === undefined ? null : value.slice(0, MAX_ECHO_LENGTH));
  const { sign: _sign, ...received } = fields;
  const result = await store.markPaid({
    orderId: notification.order_id,
    transactionId: notification.transaction_id ?? null,
    paidAt: now,
    echo: { key: clip(notification.key), orderUid: clip(notification.order_uid) },
    fields: received,
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
          ...(signCheck === 'respelled' && { signed_price: 'respelled' }),
        },
        result.late ? 'order paid after it had expired (late payment recorded)' : 'order paid',
      );
      if (result.echoMismatch) {
        log.warn(
          {
            event: 'notify.echo-mismatch',
            order_id: notification.order_id,
            echo_mismatch: result.echoMismatch,
          },
          'order paid; the notification echoed fields differently from the order (recorded on it)',
        );
      }
      return { accepted: true, outcome: 'paid' };
    case 'duplicate':
      // A resend of the payment we already recorded: answer again, change nothing but the
      // order's timeline (igepay resends until it hears success; a merchant may ask why).
      await store.recordNotification(notification.order_id, { receivedAt: now, fields: received });
      return { accepted: true, outcome: 'duplicate' };
    default:
      return keep(result.outcome, notification);
  }
}
