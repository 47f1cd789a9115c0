/**
 * `@igepay/shared/signing`: the gateway's MD5 signatures, for servers only. They need the
 * merchant token, which must never reach a browser (docs/protocol.md §1.2), and MD5, which
 * WebCrypto does not offer; the widget never imports this module.
 *
 * Shaped like stripe-node's webhook module: one function builds the string to sign, one
 * hashes, one compares in constant time. How a verified payment stands against its stored
 * order ({@link classifyPayment}) is here too: it compares keys.
 */
import { hash } from 'node:crypto';
import type { PayFields, SignedNotification } from '../gateway.js';
import { formatPrice, parsePrice } from '../money.js';
import { safeEqual } from './safe-equal.js';

export {
  classifyPayment,
  echoMismatch,
  MAX_ECHO_LENGTH,
  type PayableOrder,
  type PaymentClaim,
  type PaymentStanding,
} from '../payment.js';
export { safeEqual } from './safe-equal.js';

/** Options for the request key. */
export interface RequestKeyOptions {
  /**
   * Put `order_uid` in the key in its alphabetical place (`IGEPAY_SIGN_ORDER_UID=1`).
   * Default `false`: the document's explicit sequence leaves it out (docs/protocol.md §1.2).
   */
  readonly signOrderUid?: boolean;
}

/**
 * Every field a pay request may carry, plus `token`, in ascending order of name: the order
 * their values are concatenated in (docs/protocol.md §1.2).
 */
export const KEY_FIELD_ORDER = [
  'notify_url',
  'order_id',
  'order_name',
  'order_uid',
  'price',
  'return_url',
  'token',
  'type',
  'uid',
] as const;

/**
 * The string the request key hashes: the values of every sent field plus `token`, in
 * ascending order of field name, raw (no URL-encoding). Optional fields not sent are skipped.
 */
export function requestKeyContent(fields: PayFields, token: string, options: RequestKeyOptions = {}): string {
  let content = '';
  for (const name of KEY_FIELD_ORDER) {
    if (name === 'token') content += token;
    else if (name === 'order_uid' && !options.signOrderUid) continue;
    else content += fields[name] ?? '';
  }
  return content;
}

/** Lowercase hex MD5 of the UTF-8 bytes of `content`. */
export function md5Hex(content: string): string {
  // One-shot hash(): no Hash object per call (a measurable share of a notification's time).
  return hash('md5', content, 'hex');
}

/** The request `key` of a pay request (docs/protocol.md §1.2). */
export function requestKey(fields: PayFields, token: string, options: RequestKeyOptions = {}): string {
  return md5Hex(requestKeyContent(fields, token, options));
}

/**
 * The string a notification's `sign` hashes: `order_id + price + token`, with `price`
 * exactly as received (`10` and `10.00` sign differently; docs/protocol.md §1.3).
 */
export function notificationSignContent(
  notification: Pick<SignedNotification, 'order_id' | 'price'>,
  token: string,
): string {
  return `${notification.order_id}${notification.price}${token}`;
}

/** The `sign` igepay puts on a notification for `order_id` and `price`. */
export function notificationSign(
  notification: Pick<SignedNotification, 'order_id' | 'price'>,
  token: string,
): string {
  return md5Hex(notificationSignContent(notification, token));
}

/** True when the notification's `sign` is right for `token`, checked in constant time. */
export function verifyNotificationSign(notification: SignedNotification, token: string): boolean {
  return safeEqual(notification.sign, notificationSign(notification, token));
}

/**
 * How a notification's `sign` checks out against `token` (docs/protocol.md §1.3, §1.6), in
 * constant time:
 * - `'as-received'`: right over the price exactly as received;
 * - `'respelled'`: wrong over that, but right over the same amount's 2-decimal spelling (a
 *   gateway that signs `10.00` and sends `10`). Still needs the token, so it admits no forgery,
 *   and the amount is what the order is then compared on, in cents;
 * - `false`: not signed with `token`.
 */
export function checkNotificationSign(
  notification: SignedNotification,
  token: string,
): 'as-received' | 'respelled' | false {
  if (verifyNotificationSign(notification, token)) return 'as-received';
  const cents = parsePrice(notification.price);
  if (cents === undefined || cents === 0) return false;
  const spelled = formatPrice(cents);
  if (spelled === notification.price) return false;
  return verifyNotificationSign({ ...notification, price: spelled }, token) ? 'respelled' : false;
}
