/**
 * The events the signing server sends to the merchant's app (`IGEPAY_FORWARD_URL`) and hands
 * to an embedding app's `onPaid`: their types and payloads, written once for the server that
 * builds them and the apps that verify them (`verifyWebhook` narrows on `type`).
 */

/** How the buyer paid: WeChat Pay or Alipay (`@igepay/shared`'s `Channel`, which is held to it). */
export type Channel = 'wechat' | 'alipay';

/** A paid order as the merchant's app learns it: the `data` of an `order.paid` event. */
export interface PaidOrder {
  readonly order_id: string;
  /** Exactly 2 decimals. */
  readonly price: string;
  readonly channel: Channel;
  readonly product: string | null;
  readonly order_name: string | null;
  readonly order_uid: string | null;
  /** igepay's number of the payment. */
  readonly pay_num: string;
  /** WeChat Pay's or Alipay's transaction id, when igepay sent one. */
  readonly transaction_id: string | null;
  /** ISO 8601. */
  readonly paid_at: string;
  /** Paid after it had expired or failed: real money all the same. */
  readonly late: boolean;
  /**
   * What igepay's notification echoed differently from what the order was sent with (neither
   * echo is covered by its sign, so the payment counts all the same); `null` when they agree.
   */
  readonly echo_mismatch: EchoMismatch | null;
}

/**
 * Echoed fields of a paying notification that differ from the order's, with the values igepay
 * sent (at most 200 characters each). `key: null`: the notification carried no `key`.
 */
export interface EchoMismatch {
  readonly key?: string | null;
  readonly order_uid?: string;
}

/** Why a validly signed notification was not applied to an order (it is kept for reconciliation). */
export type UnappliedReason =
  | 'unknown-order'
  | 'key-mismatch'
  | 'price-mismatch'
  | 'code-not-success'
  | 'missing-fields'
  | 'already-paid-by-other-payment';

/** A validly signed notification that paid nothing: the `data` of a `notification.unapplied` event. */
export interface UnappliedNotificationData {
  readonly reason: UnappliedReason;
  readonly order_id: string;
  /** As received. */
  readonly price: string;
  readonly pay_num: string | null;
  readonly code: string | null;
  /** Every field received, as received. */
  readonly fields: Readonly<Record<string, unknown>>;
  /** ISO 8601. */
  readonly received_at: string;
}

/** An event of `type` carrying `data`. */
interface EventOf<Type extends string, Data> {
  /** Unique and stable: a resend carries the same id (dedupe on it). */
  readonly id: string;
  readonly type: Type;
  /** Unix seconds, an integer. */
  readonly created: number;
  /** `false` for an event of a sandbox server: a simulated payment, no money moved. */
  readonly livemode: boolean;
  readonly data: Data;
}

/** An order was paid (sent once per order, at least once). */
export type OrderPaidEvent = EventOf<'order.paid', PaidOrder>;

/** A validly signed notification could not be applied to an order. */
export type NotificationUnappliedEvent = EventOf<'notification.unapplied', UnappliedNotificationData>;

/** Any event of the signing server; switch on `type`. */
export type WebhookEvent = OrderPaidEvent | NotificationUnappliedEvent;

/** The event types, in one list. */
export const WEBHOOK_EVENT_TYPES = ['order.paid', 'notification.unapplied'] as const satisfies ReadonlyArray<
  WebhookEvent['type']
>;

/** One of {@link WEBHOOK_EVENT_TYPES}. */
export type WebhookEventType = WebhookEvent['type'];
