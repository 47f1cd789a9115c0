/**
 * The form of `IGEPAY_ADMIN_PASSWORD_HASH`, read with the other settings: the dashboard's
 * hashing (`admin/password.ts`) makes and checks such hashes.
 */

/** Bytes of a hash's salt and key, at least. */
export const SALT_BYTES = 16;
export const KEY_BYTES = 32;

/**
 * A password hash as `IGEPAY_ADMIN_PASSWORD_HASH` holds it: `scrypt:N:r:p:salt:key`, the salt
 * and key in base64url. No `$` in it, which env files and compose would expand.
 */
export interface PasswordHash {
  readonly N: number;
  readonly r: number;
  readonly p: number;
  readonly salt: Buffer;
  readonly key: Buffer;
}

const SHAPE = /^scrypt:(\d{1,8}):(\d{1,3}):(\d{1,3}):([A-Za-z0-9_-]{16,88}):([A-Za-z0-9_-]{32,88})$/;

/** Reads a stored hash; `undefined` when it is not one this server made. */
export function parsePasswordHash(text: string): PasswordHash | undefined {
  const match = SHAPE.exec(text.trim());
  if (!match) return undefined;
  const [N, r, p] = [Number(match[1]), Number(match[2]), Number(match[3])];
  // A power of two from 2^14 (below is too cheap to guess against) to 2^20 (1 GiB at r = 8).
  if (!Number.isInteger(Math.log2(N)) || N < 2 ** 14 || N > 2 ** 20 || r < 1 || r > 32 || p < 1 || p > 16)
    return undefined;
  const salt = Buffer.from(match[4] ?? '', 'base64url');
  const key = Buffer.from(match[5] ?? '', 'base64url');
  if (salt.length < SALT_BYTES || key.length < KEY_BYTES) return undefined;
  return { N, r, p, salt, key };
}
