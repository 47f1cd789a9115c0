import type { Channel as WebhookChannel } from '@igepay/webhook/web';
import type { Channel } from './channel.js';

/**
 * The events the signing server sends to the merchant's app (`IGEPAY_FORWARD_URL`) and hands
 * to an embedding app's `onPaid`. Written once, in `@igepay/webhook`, which the merchant's app
 * installs alone (it has no dependencies): the server builds them to these types.
 */
export {
  type EchoMismatch,
  type NotificationUnappliedEvent,
  type OrderPaidEvent,
  type PaidOrder,
  type UnappliedNotificationData,
  type UnappliedReason,
  WEBHOOK_EVENT_TYPES,
  type WebhookEvent,
  type WebhookEventType,
} from '@igepay/webhook/web';

/** `@igepay/webhook` states the channels itself (it depends on nothing): held to ours here. */
export type SameChannels = [Channel] extends [WebhookChannel]
  ? [WebhookChannel] extends [Channel]
    ? true
    : never
  : never;
true satisfies SameChannels;
