import { createHash, randomBytes } from 'node:crypto';
import { safeEqual } from '@igepay/shared/signing';

/**
 * A new order id: the UTC date (for people reading lists) and 128 random bits in hex.
 * 40 characters of [0-9a-f], within the gateway's 50 and safe in any URL or form.
 */
export function newOrderId(now: number): string {
  const date = new Date(now).toISOString().slice(0, 10).replaceAll('-', '');
  return `${date}${randomBytes(16).toString('hex')}`;
}

/** A new client secret: 192 random bits, URL-safe. */
export function newClientSecret(): string {
  return `cs_${randomBytes(24).toString('base64url')}`;
}

/** What we store instead of the client secret. */
export function hashClientSecret(secret: string): string {
  return createHash('sha256').update(secret, 'utf8').digest('hex');
}

/** True when `secret` is the one whose hash is stored, compared in constant time. */
export function clientSecretMatches(secret: string, storedHash: string): boolean {
  return safeEqual(hashClientSecret(secret), storedHash);
}
