import { z } from 'zod';
import { httpUrl, MerchantUidSchema, priceText } from './fields.js';
import { gatewayText } from './text.js';

/** The path of the gateway's pay page, which the browser's form is posted to (docs/protocol.md §1.1). */
export const GATEWAY_PAY_PATH = '/Home/Pay/payFor';

/** igepay's pay page, as its document gives it (`IGEPAY_GATEWAY_URL` changes it). */
export const DEFAULT_GATEWAY_URL = `http://www.igepay.com${GATEWAY_PAY_PATH}`;

/** Sandbox tokens carry this prefix, so one is never mistaken for (or used as) a real token. */
export const SANDBOX_TOKEN_PREFIX = 'sandbox-';

/**
 * The test token igepay's document publishes with its worked examples (docs/protocol.md §1.5):
 * public, so no merchant's secret. Known-answer tests sign with it.
 */
export const DOCUMENT_TEST_TOKEN = 'a1b2c3d4e5f6a7b8c9d0e1f2a3b4c5d6';

/**
 * Whether the gateway simulator may sign with `token`: a sandbox token, or the document's
 * public test token. igepay has no test mode, so any other token is a live one, and a
 * simulated payment signed with it would be taken for a real one.
 */
export function isSimulatorToken(token: string): boolean {
  return token.startsWith(SANDBOX_TOKEN_PREFIX) || token === DOCUMENT_TEST_TOKEN;
}

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
 * A pay request as the gateway family takes it (docs/protocol.md §1.6), looser than its document:
 * a price of `10`, `10.5` or `10.00`, and names as posted (the live gateway then filters them).
 * What the simulator accepts; {@link PayRequestSchema} is what this project sends.
 */
export const AcceptedPayRequestSchema = PayRequestSchema.extend({ price: priceText() }).strict();

/**
 * The part of a notification that its `sign` covers (docs/protocol.md §1.3): checked first, on the
 * raw strings, before anything else about the notification is believed.
 */
export const SignedNotificationSchema = z.object({
  order_id: z.string().min(1, 'is required').max(200),
  price: z.string().min(1, 'is required').max(200),
  sign: z.string().min(1, 'is required').max(200),
});

/** The part of a notification that its `sign` covers. */
export type SignedNotification = z.infer<typeof SignedNotificationSchema>;

/**
 * A payment notification (docs/protocol.md §1.3), every value a string as received. Only what the
 * decision needs is required (`order_id`, `price`, `sign`, `code`, `pay_num`); the echoes
 * (`order_uid`, `transaction_id`, `key`) are optional and taken as they come, since a validly
 * signed payment must never be dropped over a field its sign does not cover (§1.6). Unknown
 * extra fields are allowed: a gateway may add some.
 */
export const NotificationSchema = SignedNotificationSchema.extend({
  pay_num: z.string().min(1, 'is required').max(200),
  code: z.string().min(1, 'is required').max(200),
  transaction_id: z.string().optional(),
  order_uid: z.string().optional(),
  key: z.string().optional(),
});

/** A payment notification. */
export type Notification = z.infer<typeof NotificationSchema>;
