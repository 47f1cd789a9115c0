import type { WebhookEvent } from './events.js';
import { header, type WebhookRequestHeaders } from './headers.js';

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
export function secretKey(secret: string): Uint8Array | undefined {
  if (typeof secret !== 'string' || !secret.startsWith(SECRET_PREFIX)) return undefined;
  const encoded = secret.slice(SECRET_PREFIX.length);
  if (!BASE64.test(encoded) || encoded.length % 4 !== 0) return undefined;
  const key = Uint8Array.from(atob(encoded), (char) => char.charCodeAt(0));
  return key.length >= 24 && key.length <= 64 ? key : undefined;
}

/** The string that is signed: the event id, the timestamp and the raw body, joined by dots. */
export function signedContent(id: string, timestamp: number, body: string): string {
  return `${id}.${timestamp}.${body}`;
}

/** Why an event was refused, in words that say what to check. */
export class WebhookVerificationError extends Error {
  override readonly name = 'WebhookVerificationError';
}

/** Options for `verifyWebhook` and `verifyWebhookAsync`. */
export interface VerifyOptions {
  /** Oldest (and furthest ahead) signature accepted, in seconds. Default 300. */
  readonly toleranceSeconds?: number;
  /** The clock, in milliseconds. Default `Date.now`. */
  readonly now?: () => number;
}

/** What is checked of a request before its signature: the key, the headers, the body. */
export interface SignedRequest {
  readonly key: Uint8Array;
  readonly id: string;
  readonly timestamp: number;
  /** The `v1,<base64>` signatures sent (several while a secret is rotated). */
  readonly signatures: readonly string[];
  readonly body: string;
}

/** Reads what a signature check needs, or says what is missing. */
export function signedRequest(
  rawBody: string | Uint8Array,
  headers: WebhookRequestHeaders,
  secret: string,
): SignedRequest {
  if (typeof rawBody !== 'string' && !(rawBody instanceof Uint8Array)) {
    throw new WebhookVerificationError(
      'The body must be the raw request body (a string, Buffer or Uint8Array), not a parsed object: was the raw body used?',
    );
  }
  const key = secretKey(secret);
  if (!key) {
    throw new WebhookVerificationError(
      `The secret must be IGEPAY_FORWARD_SECRET as the server has it: ${SECRET_PREFIX} and 24 to 64 bytes in base64.`,
    );
  }
  if (typeof headers !== 'object' || headers === null) {
    throw new WebhookVerificationError(
      "The headers must be the request's: Node's request.headers, a Fetch Headers or a Map.",
    );
  }
  const id = header(headers, WEBHOOK_HEADERS.id);
  const sent = header(headers, WEBHOOK_HEADERS.timestamp);
  const signatures = header(headers, WEBHOOK_HEADERS.signature);
  if (!id || !sent || !signatures) {
    throw new WebhookVerificationError(
      'The webhook-id, webhook-timestamp and webhook-signature headers must all be there: were the request’s own headers passed, and is it from your igepay server?',
    );
  }
  if (!/^\d{1,12}$/.test(sent)) {
    throw new WebhookVerificationError('The webhook-timestamp header must be unix seconds.');
  }
  const body = typeof rawBody === 'string' ? rawBody : new TextDecoder().decode(rawBody);
  return { key, id, timestamp: Number(sent), signatures: signatures.split(' '), body };
}

/** The refusal when no signature matched. */
export const NO_MATCH =
  'The signature does not match: was the raw request body used (not JSON parsed and serialized again), and is the secret the same as IGEPAY_FORWARD_SECRET?';

/** The HMAC bytes of a `v1,<base64>` signature; `undefined` for any other. */
export function signatureBytes(signature: string): Uint8Array | undefined {
  if (!signature.startsWith('v1,')) return undefined;
  const encoded = signature.slice(3);
  if (!BASE64.test(encoded) || encoded.length !== 44) return undefined;
  return Uint8Array.from(atob(encoded), (char) => char.charCodeAt(0));
}

/** After the signature matched: the age check, then the event. */
export function checkedEvent(request: SignedRequest, options: VerifyOptions): WebhookEvent {
  const tolerance = options.toleranceSeconds ?? DEFAULT_TOLERANCE_SECONDS;
  const age = Math.floor((options.now ?? Date.now)() / 1000) - request.timestamp;
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
  const event = JSON.parse(request.body) as WebhookEvent;
  if (event.id !== request.id) {
    throw new WebhookVerificationError('The webhook-id header is not the event’s id.');
  }
  return event;
}
