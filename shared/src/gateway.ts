import { z } from 'zod';
import { httpUrl, MerchantUidSchema, priceText } from './fields.js';
import { gatewayText } from './text.js';

/** The path of the gateway's pay page, which the browser's form is posted to (docs/protocol.md §1.1). */
export const GATEWAY_PAY_PATH = '/Home/Pay/payFor';

/** igepay's pay page, as its document gives it (`IGEPAY_GATEWAY_URL` changes it). */
export const DEFAULT_GATEWAY_URL = `http://www.igepay.com${GATEWAY_PAY_PATH}`;

/** Sandbox tokens carry this prefix, so one is never mistaken for (or used as) a real token. */
export const SANDBOX_TOKEN_PREFIX = 'sandbox-';

/** The gateway's `code` for a successful payment (docs/protocol.md §1.3). */
export const GATEWAY_SUCCESS_CODE = '0000';

/** The exact reply that acknowledges a notification; anything else makes igepay resend. */
export const NOTIFY_ACK = 'success';

/** Our reply to a notification we do not accept (docs/protocol.md §2.2). */
export const NOTIFY_REJECT = 'fail';

/** A lowercase 32-hex-digit MD5, the form of `key` and `sign`. */
export const Md5HexSchema = z.string().regex(/^[0-9a-f]{32}$/, 'must be 32 lowercase hex digits');

/**
 * The signed fields of a pay request (docs/protocol.md §1.1), every value a string exactly as it
 * is posted: `key` is computed over these values.
 */
export const PayFieldsSchema = z
  .object({
    uid: MerchantUidSchema,
    price: priceText({ exactDecimals: true }),
    type: z.enum(['1', '2'], 'must be 1 (WeChat Pay) or 2 (Alipay)'),
    notify_url: httpUrl(255),
    return_url: httpUrl(255),
    order_id: z.string().min(1, 'is required').pipe(gatewayText(50)),
    order_uid: z.string().min(1, 'must not be empty').pipe(gatewayText(100)).optional(),
    order_name: z.string().min(1, 'must not be empty').pipe(gatewayText(100)).optional(),
  })
  .strict();

/** The signed fields of a pay request. */
export type PayFields = z.infer<typeof PayFieldsSchema>;

/** A complete pay request as the browser posts it to the gateway: the fields and their `key`. */
export const PayRequestSchema = PayFieldsSchema.extend({ key: Md5HexSchema }).strict();

/** A complete pay request. */
export type PayRequest = z.infer<typeof PayRequestSchema>;

/**
 * The part of a notification that its `sign` covers (docs/protocol.md §1.3): checked first, on the
 * raw strings, before anything else about the notification is believed.
 */
export const SignedNotificationSchema = z.object({
  order_id: z.string().max(200),
  price: z.string().max(200),
  sign: z.string().max(200),
});

/** The part of a notification that its `sign` covers. */
export type SignedNotification = z.infer<typeof SignedNotificationSchema>;

/**
 * A payment notification (docs/protocol.md §1.3), every value a string as received. Unknown extra
 * fields are allowed: a gateway may add some.
 */
export const NotificationSchema = SignedNotificationSchema.extend({
  pay_num: z.string().min(1, 'is required').pipe(gatewayText(50)),
  transaction_id: gatewayText(60).optional(),
  order_uid: gatewayText(100).optional(),
  code: z.string().min(1, 'is required').max(16),
  key: z.string().max(200),
});

/** A payment notification. */
export type Notification = z.infer<typeof NotificationSchema>;
