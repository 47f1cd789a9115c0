import { randomFillSync } from 'node:crypto';

// One getrandom() call fills the pool for hundreds of ids: a syscall per id cost more than
// the rest of a checkout together (profiled). Bytes are handed out once and never reused.
const POOL_SIZE = 16 * 1024;
const pool = Buffer.allocUnsafe(POOL_SIZE);
let offset = POOL_SIZE;

/** `size` bytes from the operating system's CSPRNG, drawn from a pooled buffer. */
export function randomBytesPooled(size: number): Buffer {
  if (size > POOL_SIZE) throw new RangeError(`at most ${POOL_SIZE} random bytes at a time`);
  if (offset + size > POOL_SIZE) {
    randomFillSync(pool);
    offset = 0;
  }
  const bytes = Buffer.from(pool.subarray(offset, offset + size));
  // Wipe what was handed out, so a copy of the pool never holds an issued secret.
  pool.fill(0, offset, offset + size);
  offset += size;
  return bytes;
}
