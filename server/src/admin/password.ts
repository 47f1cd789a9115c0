import { randomBytes, scrypt, timingSafeEqual } from 'node:crypto';
import { promisify } from 'node:util';
import { KEY_BYTES, type PasswordHash, SALT_BYTES } from '../config/password-hash.js';

const scryptAsync = promisify(scrypt) as (
  password: string | Buffer,
  salt: Buffer,
  keylen: number,
  options: { N: number; r: number; p: number; maxmem: number },
) => Promise<Buffer>;

/** The cost of new hashes: scrypt with N = 2^15, r = 8, p = 1 (32 MiB of memory per guess). */
const COST = { N: 2 ** 15, r: 8, p: 1 } as const;
/** The fewest characters a dashboard password may have. */
export const MIN_PASSWORD_LENGTH = 12;

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
