import { hash } from 'node:crypto';
import { safeEqual } from '@igepay/shared/signing';
import { randomBytesPooled } from './random.js';

/**
 * A new order id: the UTC time to the millisecond (`yyyyMMddHHmmssSSS`) and 128 random bits
 * in hex; 49 characters of [0-9a-f], within the gateway's 50 and safe in any URL or form.
 * The time prefix makes ids sort by creation, so new orders append to the end of the
 * primary-key index instead of dirtying a random page per order on every commit.
 */
export function newOrderId(now: number): string {
  const time = new Date(now).toISOString().replace(/\D/g, '').slice(0, 17);
  return `${time}${randomBytesPooled(16).toString('hex')}`;
}

/** A new client secret: 192 random bits, URL-safe. */
export function newClientSecret(): string {
  return `cs_${randomBytesPooled(24).toString('base64url')}`;
}

/** What we store instead of the client secret. */
export function hashClientSecret(secret: string): string {
  return hash('sha256', secret, 'hex');
}

/** True when `secret` is the one whose hash is stored, compared in constant time. */
export function clientSecretMatches(secret: string, storedHash: string): boolean {
  return safeEqual(hashClientSecret(secret), storedHash);
}
