/**
 * `@igepay/shared/webhook`: the signature on the events the signing server sends to the
 * merchant's app (`IGEPAY_FORWARD_URL`), for Node. The scheme is Standard Webhooks'
 * (https://www.standardwebhooks.com): `webhook-id`, `webhook-timestamp` and `webhook-signature:
 * v1,<base64 HMAC-SHA256 of "<id>.<timestamp>.<raw body>">`, keyed with the bytes of a
 * `whsec_<base64>` secret. Any Standard Webhooks library verifies our events; this is ours.
 */
import { createHmac } from 'node:crypto';
import type { WebhookEvent } from './events.js';
import { safeEqual } from './signing/safe-equal.js';

export type {
  NotificationUnappliedEvent,
  OrderPaidEvent,
  PaidOrder,
  UnappliedNotificationData,
  WebhookEvent,
  WebhookEventType,
} from './events.js';

/** The headers that carry an event's id, time and signatures (HTTP headers are case-insensitive). */
export const WEBHOOK_HEADERS = {
  id: 'webhook-id',
  timestamp: 'webhook-timestamp',
  signature: 'webhook-signature',
} as const;

/** A Standard Webhooks secret is this prefix and the key's bytes in base64. */
export const SECRET_PREFIX = 'whsec_';

/** Default tolerance for the signature's age, either way: 5 minutes, as Standard Webhooks advises. */
export const DEFAULT_TOLERANCE_SECONDS = 300;

const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;

/**
 * The HMAC key of a `whsec_` secret: its base64 decoded. `undefined` when the secret is not one,
 * or holds fewer than 24 bytes or more than 64 (the specification's bounds).
 */
export function secretKey(secret: string): Buffer | undefined {
  if (!secret.startsWith(SECRET_PREFIX)) return undefined;
  const encoded = secret.slice(SECRET_PREFIX.length);
  if (!BASE64.test(encoded) || encoded.length % 4 !== 0) return undefined;
  const key = Buffer.from(encoded, 'base64');
  return key.length >= 24 && key.length <= 64 ? key : undefined;
}

/** The string that is signed: the event id, the timestamp and the raw body, joined by dots. */
export function signedContent(id: string, timestamp: number, body: string): string {
  return `${id}.${timestamp}.${body}`;
}

/** One `v1,<base64>` signature of `body`, sent as `id` at `timestamp` (unix seconds). */
export function sign(id: string, timestamp: number, body: string, secret: string): string {
  const key = secretKey(secret);
  if (!key) throw new TypeError(`the secret must be ${SECRET_PREFIX} and 24 to 64 bytes in base64`);
  return `v1,${createHmac('sha256', key)
    .update(signedContent(id, timestamp, body), 'utf8')
    .digest('base64')}`;
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

/** Why an event was refused, in words that say what to check. */
export class WebhookVerificationError extends Error {
  override readonly name = 'WebhookVerificationError';
}

/** Options for {@link verifyWebhook}. */
export interface VerifyOptions {
  /** Oldest (and furthest ahead) signature accepted, in seconds. Default 300. */
  readonly toleranceSeconds?: number;
  /** The clock, in milliseconds. Default `Date.now`. */
  readonly now?: () => number;
}

/** Request headers as Node (or any framework) gives them: lower-case names. */
export type WebhookRequestHeaders = Readonly<Record<string, string | readonly string[] | undefined>>;

function header(headers: WebhookRequestHeaders, name: string): string | undefined {
  const value = headers[name] ?? headers[name.toLowerCase()];
  return Array.isArray(value) ? value[0] : (value as string | undefined);
}

/**
 * Checks an event's signature and age, then parses it. `rawBody` must be the request body
 * exactly as received: JSON parsed and serialized again no longer matches. `headers` are the
 * request's (`request.headers` in Node, Express or Fastify). Throws a
 * {@link WebhookVerificationError} that says what to check. Switch on the event's `type` to
 * read its `data`; dedupe on its `id` (the `webhook-id`).
 */
export function verifyWebhook(
  rawBody: string | Uint8Array,
  headers: WebhookRequestHeaders,
  secret: string,
  options: VerifyOptions = {},
): WebhookEvent {
  if (typeof rawBody !== 'string' && !(rawBody instanceof Uint8Array)) {
    throw new WebhookVerificationError(
      'The body must be the raw request body (a string or Buffer), not a parsed object: was the raw body used?',
    );
  }
  if (!secretKey(secret ?? '')) {
    throw new WebhookVerificationError(
      `The secret must be IGEPAY_FORWARD_SECRET as the server has it: ${SECRET_PREFIX} and 24 to 64 bytes in base64.`,
    );
  }
  const id = header(headers, WEBHOOK_HEADERS.id);
  const sent = header(headers, WEBHOOK_HEADERS.timestamp);
  const signatures = header(headers, WEBHOOK_HEADERS.signature);
  if (!id || !sent || !signatures) {
    throw new WebhookVerificationError(
      'The webhook-id, webhook-timestamp and webhook-signature headers must all be there: is this request from your igepay server?',
    );
  }
  if (!/^\d{1,12}$/.test(sent)) {
    throw new WebhookVerificationError('The webhook-timestamp header must be unix seconds.');
  }
  const timestamp = Number(sent);
  const body = typeof rawBody === 'string' ? rawBody : Buffer.from(rawBody).toString('utf8');
  const expected = sign(id, timestamp, body, secret);
  // Several space-separated signatures may come (a secret being rotated): one must match.
  if (!signatures.split(' ').some((signature) => safeEqual(signature, expected))) {
    throw new WebhookVerificationError(
      'The signature does not match: was the raw request body used (not JSON parsed and serialized again), and is the secret the same as IGEPAY_FORWARD_SECRET?',
    );
  }
  const tolerance = options.toleranceSeconds ?? DEFAULT_TOLERANCE_SECONDS;
  const age = Math.floor((options.now ?? Date.now)() / 1000) - timestamp;
  if (age > tolerance) {
    throw new WebhookVerificationError(
      `The signature is ${age} s old, more than the ${tolerance} s allowed: a replayed request, or a clock out of sync?`,
    );
  }
  if (age < -tolerance) {
    throw new WebhookVerificationError(
      `The signature is from ${-age} s in the future: is a clock out of sync?`,
    );
  }
  const event = JSON.parse(body) as WebhookEvent;
  if (event.id !== id) {
    throw new WebhookVerificationError('The webhook-id header is not the event’s id.');
  }
  return event;
}
