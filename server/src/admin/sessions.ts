import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { ADMIN_PATH } from '@igepay/shared';
import { parseCookie, stringifySetCookie } from 'cookie';
import type { PasswordHash } from '../config/password-hash.js';
import type { AdminSession } from '../store/order-store.js';

/** The session cookie: sent only to the dashboard's own paths. */
export const SESSION_COOKIE = 'igepay_admin';
/** A session unused this long is over. */
export const IDLE_MS = 30 * 60_000;
/** A session is over this long after sign-in, however much it is used. */
export const ABSOLUTE_MS = 12 * 60 * 60_000;
/** A session's last use is written at most this often (each write is a commit). */
const TOUCH_EVERY_MS = 60_000;

/**
 * What is stored of a cookie token: a SHA-256, so a copy of the database signs nobody in, over
 * the token and the password hash it was made under: once `IGEPAY_ADMIN_PASSWORD_HASH` changes,
 * no session made before opens (a new password signs everyone out).
 */
export function hashToken(token: string, passwordHash: PasswordHash): string {
  return createHash('sha256')
    .update(`${passwordHash.key.toString('base64url')}\n${token}`)
    .digest('hex');
}

/**
 * A new session at `now` under the password hash `passwordHash`, and the cookie token that
 * opens it (given to the browser only).
 */
export function newSession(
  now: number,
  passwordHash: PasswordHash,
): { token: string; session: AdminSession } {
  const token = randomBytes(32).toString('base64url');
  return {
    token,
    session: {
      idHash: hashToken(token, passwordHash),
      csrfToken: randomBytes(32).toString('base64url'),
      createdAt: now,
      lastSeenAt: now,
    },
  };
}

/** The session's cookie token in a `Cookie` header, if there is one of the right shape. */
export function tokenOf(cookieHeader: string | undefined): string | undefined {
  const token = cookieHeader === undefined ? undefined : parseCookie(cookieHeader)[SESSION_COOKIE];
  return token && /^[A-Za-z0-9_-]{43}$/.test(token) ? token : undefined;
}

/** Whether `session` is still open at `now` (neither idle nor too old). */
export function isLive(session: AdminSession, now: number): boolean {
  return now - session.lastSeenAt < IDLE_MS && now - session.createdAt < ABSOLUTE_MS;
}

/** Whether the session's last use is old enough to be written again. */
export function needsTouch(session: AdminSession, now: number): boolean {
  return now - session.lastSeenAt >= TOUCH_EVERY_MS;
}

/**
 * The `Set-Cookie` value that gives the browser `token`, or (without one) takes it back; sent
 * only to the dashboard's paths under `prefix` (where the server is mounted, `/pay`, or '').
 */
export function sessionCookie(token: string | undefined, secure: boolean, prefix = ''): string {
  return stringifySetCookie({
    name: SESSION_COOKIE,
    value: token ?? '',
    httpOnly: true,
    sameSite: 'strict',
    secure,
    path: `${prefix}${ADMIN_PATH}`,
    // Gone with the browser, and never outliving the session itself.
    ...(token === undefined ? { expires: new Date(0) } : { maxAge: ABSOLUTE_MS / 1000 }),
  });
}

/** Whether `given` is the session's CSRF token, compared in constant time. */
export function csrfMatches(session: AdminSession, given: unknown): boolean {
  if (typeof given !== 'string') return false;
  const expected = Buffer.from(session.csrfToken);
  const actual = Buffer.from(given);
  return actual.length === expected.length && timingSafeEqual(actual, expected);
}
