/**
 * `@igepay/webhook/web`: the signature on the events the igepay signing server sends to your
 * app, checked with WebCrypto. For edge runtimes and Workers (Next.js's edge runtime, Cloudflare
 * Workers, Deno Deploy, Vercel Edge), and any runtime with `crypto.subtle`: no Node built-in.
 * The scheme is Standard Webhooks' (https://www.standardwebhooks.com).
 */
import {
  checkedEvent,
  NO_MATCH,
  SECRET_PREFIX,
  secretKey,
  signatureBytes,
  signedContent,
  signedRequest,
  type VerifyOptions,
  WebhookVerificationError,
} from './common.js';
import type { WebhookEvent } from './events.js';
import type { WebhookRequestHeaders } from './headers.js';

export {
  DEFAULT_TOLERANCE_SECONDS,
  SECRET_PREFIX,
  secretKey,
  signedContent,
  type VerifyOptions,
  WEBHOOK_HEADERS,
  WebhookVerificationError,
} from './common.js';
export * from './events.js';
export type { WebhookRequestHeaders } from './headers.js';

const encoder = new TextEncoder();

async function hmacKey(key: Uint8Array, usage: 'sign' | 'verify'): Promise<CryptoKey> {
  return crypto.subtle.importKey('raw', key as BufferSource, { name: 'HMAC', hash: 'SHA-256' }, false, [
    usage,
  ]);
}

/** One `v1,<base64>` signature of `body`, sent as `id` at `timestamp` (unix seconds). */
export async function signAsync(
  id: string,
  timestamp: number,
  body: string,
  secret: string,
): Promise<string> {
  const key = secretKey(secret);
  if (!key) throw new TypeError(`the secret must be ${SECRET_PREFIX} and 24 to 64 bytes in base64`);
  const mac = new Uint8Array(
    await crypto.subtle.sign(
      'HMAC',
      await hmacKey(key, 'sign'),
      encoder.encode(signedContent(id, timestamp, body)),
    ),
  );
  return `v1,${btoa(String.fromCharCode(...mac))}`;
}

/**
 * Checks an event's signature and age, then parses it: `verifyWebhook`'s checks, with
 * WebCrypto (whose HMAC verify compares in constant time). `rawBody` must be the request body
 * exactly as received (`await request.text()`); `headers` the request's (`request.headers`).
 * Rejects with a {@link WebhookVerificationError} that says what to check.
 */
export async function verifyWebhookAsync(
  rawBody: string | Uint8Array,
  headers: WebhookRequestHeaders,
  secret: string,
  options: VerifyOptions = {},
): Promise<WebhookEvent> {
  const request = signedRequest(rawBody, headers, secret);
  const key = await hmacKey(request.key, 'verify');
  const content = encoder.encode(signedContent(request.id, request.timestamp, request.body));
  // Several space-separated signatures may come (a secret being rotated): one must match.
  for (const signature of request.signatures) {
    const mac = signatureBytes(signature);
    if (mac && (await crypto.subtle.verify('HMAC', key, mac as BufferSource, content)))
      return checkedEvent(request, options);
  }
  throw new WebhookVerificationError(NO_MATCH);
}
