import { timingSafeEqual } from 'node:crypto';

/**
 * Compares two strings in time that does not depend on where they differ, so an attacker
 * cannot find a valid signature one character at a time. Different lengths are unequal.
 */
export function safeEqual(received: string, expected: string): boolean {
  const a = Buffer.from(received, 'utf8');
  const b = Buffer.from(expected, 'utf8');
  // The length check leaks only the length, which is public (32 hex digits).
  return a.length === b.length && timingSafeEqual(a, b);
}
