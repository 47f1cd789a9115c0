import { randomBytes, scrypt, timingSafeEqual } from 'node:crypto';
import { promisify } from 'node:util';

const scryptAsync = promisify(scrypt) as (
  password: string | Buffer,
  salt: Buffer,
  keylen: number,
  options: { N: number; r: number; p: number; maxmem: number },
) => Promise<Buffer>;

/** The cost of new hashes: scrypt with N = 2^15, r = 8, p = 1 (32 MiB, ~0.1 s here). */
const COST = { N: 2 ** 15, r: 8, p: 1 } as const;
const SALT_BYTES = 16;
const KEY_BYTES = 32;
/** The fewest characters a dashboard password may have. */
export const MIN_PASSWORD_LENGTH = 12;

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

function derive(password: string, hash: Omit<PasswordHash, 'key'>, length: number): Promise<Buffer> {
  return scryptAsync(password.normalize('NFC'), hash.salt, length, {
    N: hash.N,
    r: hash.r,
    p: hash.p,
    maxmem: 256 * hash.N * hash.r,
  });
}

/** A new hash of `password`, with a random salt, in the form {@link parsePasswordHash} reads. */
export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(SALT_BYTES);
  const key = await derive(password, { ...COST, salt }, KEY_BYTES);
  return `scrypt:${COST.N}:${COST.r}:${COST.p}:${salt.toString('base64url')}:${key.toString('base64url')}`;
}

/** Whether `password` is the one `hash` was made from, compared in constant time. */
export async function verifyPassword(password: string, hash: PasswordHash): Promise<boolean> {
  const key = await derive(password, hash, hash.key.length);
  return timingSafeEqual(key, hash.key);
}
