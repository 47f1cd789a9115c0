/**
 * `@igepay/webhook`: the signature on the events the igepay signing server sends to your app
 * (`IGEPAY_FORWARD_URL`). The scheme is Standard Webhooks' (https://www.standardwebhooks.com):
 * `webhook-id`, `webhook-timestamp` and `webhook-signature: v1,<base64 HMAC-SHA256 of
 * "<id>.<timestamp>.<raw body>">`, keyed with the bytes of a `whsec_<base64>` secret. Any
 * Standard Webhooks library verifies our events; this is ours, with no dependencies, for Node,
 * Bun and Deno (`verifyWebhook`, synchronous) and anything with WebCrypto (`verifyWebhookAsync`,
 * also from `@igepay/webhook/web`, which needs no Node built-in).
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import {
  checkedEvent,
  NO_MATCH,
  SECRET_PREFIX,
  secretKey,
  signatureBytes,
  signedContent,
  signedRequest,
  type VerifyOptions,
  WEBHOOK_HEADERS,
  WebhookVerificationError,
} from './common.js';
import type { WebhookEvent } from './events.js';
import type { WebhookRequestHeaders } from './headers.js';

export * from './web.js';

function hmac(key: Uint8Array, id: string, timestamp: number, body: string): Buffer {
  return createHmac('sha256', key)
    .update(signedContent(id, timestamp, body), 'utf8')
    .digest();
}

/** One `v1,<base64>` signature of `body`, sent as `id` at `timestamp` (unix seconds). */
export function sign(id: string, timestamp: number, body: string, secret: string): string {
  const key = secretKey(secret);
  if (!key) throw new TypeError(`the secret must be ${SECRET_PREFIX} and 24 to 64 bytes in base64`);
  return `v1,${hmac(key, id, timestamp, body).toString('base64')}`;
}

/** The three headers that sign `body`, sent as event `id` at `timestamp` (unix seconds). */
export function webhookHeaders(
  id: string,
  timestamp: number,
  body: string,
  secret: string,
): Record<(typeof WEBHOOK_HEADERS)[keyof typeof WEBHOOK_HEADERS], string> {
  return {
    [WEBHOOK_HEADERS.id]: id,
    [WEBHOOK_HEADERS.timestamp]: String(timestamp),
    [WEBHOOK_HEADERS.signature]: sign(id, timestamp, body, secret),
  };
}

/**
 * Checks an event's signature and age, then parses it. `rawBody` must be the request body
 * exactly as received: JSON parsed and serialized again no longer matches (`express.raw()`,
 * or `await request.text()`). `headers` are the request's, as the framework gives them: Node's
 * object, a Fetch `Headers` or a `Map`. Throws a {@link WebhookVerificationError} that says
 * what to check. Switch on the event's `type` to read its `data`; dedupe on its `id`.
 */
export function verifyWebhook(
  rawBody: string | Uint8Array,
  headers: WebhookRequestHeaders,
  secret: string,
  options: VerifyOptions = {},
): WebhookEvent {
  const request = signedRequest(rawBody, headers, secret);
  const expected = hmac(request.key, request.id, request.timestamp, request.body);
  // Several space-separated signatures may come (a secret being rotated): one must match.
  const matches = request.signatures.some((signature) => {
    const mac = signatureBytes(signature);
    return mac !== undefined && mac.length === expected.length && timingSafeEqual(mac, expected);
  });
  if (!matches) throw new WebhookVerificationError(NO_MATCH);
  return checkedEvent(request, options);
}
