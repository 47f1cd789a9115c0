/**
 * `@igepay/shared/webhook`: the signature on the events the signing server sends to the
 * merchant's app (`IGEPAY_FORWARD_URL`), for Node. Stripe-style: `Igepay-Signature:
 * t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<raw body>" with the shared secret>`.
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

/** The header that carries the signature (HTTP headers are case-insensitive). */
export const SIGNATURE_HEADER = 'Igepay-Signature';

/** Default tolerance for the signature's age: 5 minutes, as Stripe's. */
export const DEFAULT_TOLERANCE_SECONDS = 300;

/** The string that is signed: the timestamp, a dot, and the raw body. */
export function signedPayload(timestamp: number, body: string): string {
  return `${timestamp}.${body}`;
}

/** The hex HMAC-SHA256 of the signed payload. */
export function computeSignature(timestamp: number, body: string, secret: string): string {
  return createHmac('sha256', secret).update(signedPayload(timestamp, body), 'utf8').digest('hex');
}

/** The header value for `body` sent at `timestamp` (unix seconds). */
export function signatureHeader(timestamp: number, body: string, secret: string): string {
  return `t=${timestamp},v1=${computeSignature(timestamp, body, secret)}`;
}

/** Why an event was refused, in words that say what to check. */
export class WebhookVerificationError extends Error {
  override readonly name = 'WebhookVerificationError';
}

/** Options for {@link verifyWebhook}. */
export interface VerifyOptions {
  /** Oldest signature accepted, in seconds. Default 300. */
  readonly toleranceSeconds?: number;
  /** The clock, in milliseconds. Default `Date.now`. */
  readonly now?: () => number;
}

function parseHeader(header: string): { timestamp: number; signatures: string[] } {
  let timestamp = Number.NaN;
  const signatures: string[] = [];
  for (const part of header.split(',')) {
    const [name, value = ''] = part.trim().split('=', 2);
    if (name === 't' && /^\d{1,12}$/.test(value)) timestamp = Number(value);
    else if (name === 'v1') signatures.push(value);
  }
  if (Number.isNaN(timestamp) || signatures.length === 0) {
    throw new WebhookVerificationError(
      `The ${SIGNATURE_HEADER} header must look like t=<unix seconds>,v1=<hex>; got something else.`,
    );
  }
  return { timestamp, signatures };
}

/**
 * Checks an event's signature and age, then parses it. `rawBody` must be the request body
 * exactly as received: JSON parsed and serialized again no longer matches. Throws a
 * {@link WebhookVerificationError} that says what to check. Switch on the event's `type` to
 * read its `data`.
 */
export function verifyWebhook(
  rawBody: string | Uint8Array,
  header: string | string[] | undefined,
  secret: string,
  options: VerifyOptions = {},
): WebhookEvent {
  if (typeof rawBody !== 'string' && !(rawBody instanceof Uint8Array)) {
    throw new WebhookVerificationError(
      'The body must be the raw request body (a string or Buffer), not a parsed object: was the raw body used?',
    );
  }
  const body = typeof rawBody === 'string' ? rawBody : Buffer.from(rawBody).toString('utf8');
  const value = Array.isArray(header) ? header[0] : header;
  if (!value)
    throw new WebhookVerificationError(
      `No ${SIGNATURE_HEADER} header: is this request from your igepay server?`,
    );
  if (!secret)
    throw new WebhookVerificationError('No secret given: pass IGEPAY_FORWARD_SECRET, as the server has it.');
  const { timestamp, signatures } = parseHeader(value);
  const expected = computeSignature(timestamp, body, secret);
  if (!signatures.some((signature) => safeEqual(signature, expected))) {
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
  return JSON.parse(body) as WebhookEvent;
}
