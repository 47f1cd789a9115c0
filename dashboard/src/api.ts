/*
 * The dashboard's calls to its own server's `/admin/api`, relative to the page: the dashboard
 * works under any prefix the server is mounted at. The session is an HttpOnly cookie the page
 * never sees; the CSRF token comes from the session and goes with every change.
 */

import type { AdminReplies, AdminSession } from '@igepay/shared';
import { ADMIN_API, ERRORS, showControls } from '@igepay/shared/browser';

export type {
  AdminOrder as Order,
  AuditEntry,
  History,
  Overview,
  Takings,
  Unapplied,
} from '@igepay/shared';

/** A reply that was not 2xx: the server's code and message (`status` 0: no answer). */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: number,
    message: string,
  ) {
    super(message);
  }
}

/** Signed out: the app shows the sign-in page. */
export const SIGNED_OUT = ERRORS.IGEPAY_ERR_SIGNED_OUT.code;

let csrfToken = '';

/** Fired on `window` whenever a call finds the session gone. */
export const SIGNED_OUT_EVENT = 'igepay-admin-signed-out';

async function call<T>(method: string, path: string, body?: unknown): Promise<T> {
  let response: Response;
  try {
    response = await fetch(path, {
      method,
      credentials: 'same-origin',
      headers: {
        ...(body !== undefined && { 'content-type': 'application/json' }),
        ...(method !== 'GET' && { 'x-csrf-token': csrfToken }),
      },
      ...(body !== undefined && { body: JSON.stringify(body) }),
    });
  } catch {
    throw new ApiError(0, 0, 'network');
  }
  if (response.status === 204) return undefined as T;
  // Every string the server sends may hold text from outside (a notification's fields, a
  // receiver's reply): none reaches the page with a control character in it.
  const reply = (await response
    .text()
    .then((text) =>
      JSON.parse(text, (_key, value) => (typeof value === 'string' ? showControls(value) : value)),
    )
    .catch(() => ({}))) as { code?: number; msg?: string };
  if (!response.ok) {
    const code = reply.code ?? 0;
    if (code === SIGNED_OUT) window.dispatchEvent(new Event(SIGNED_OUT_EVENT));
    throw new ApiError(response.status, code, reply.msg ?? `HTTP ${response.status}`);
  }
  return reply as T;
}

/** The JSON routes of the dashboard's API, by their name in `ADMIN_API`. */
type Route = keyof AdminReplies;

/** A route's path with its `:params` filled in (encoded), and a query string when given. */
export function pathOf(
  route: Route,
  params: Readonly<Record<string, string | number>> = {},
  query?: string,
): string {
  const path = ADMIN_API[route].replace(/:(\w+)/g, (_, name: string) =>
    encodeURIComponent(String(params[name])),
  );
  return query ? `${path}?${query}` : path;
}

/** Reads a route: `get('order', { order_id })`, `get('overview', {}, 'tz_offset=480')`. */
export const get = <R extends Route>(
  route: R,
  params?: Readonly<Record<string, string | number>>,
  query?: string,
) => call<AdminReplies[R]>('GET', pathOf(route, params, query));

/** Changes something through a route, with a JSON body when given. */
export const post = <R extends Route>(
  route: R,
  params?: Readonly<Record<string, string | number>>,
  body?: unknown,
) => call<AdminReplies[R]>('POST', pathOf(route, params), body);

/** The session, if the cookie still opens one. */
export async function resume(): Promise<AdminSession | undefined> {
  try {
    const session = await get('session');
    csrfToken = session.csrf_token;
    return session;
  } catch (error) {
    if (error instanceof ApiError && error.code === SIGNED_OUT) return undefined;
    throw error;
  }
}

export async function signIn(password: string): Promise<AdminSession> {
  const session = await post('session', {}, { password });
  csrfToken = session.csrf_token;
  return session;
}

export async function signOut(): Promise<void> {
  await call('DELETE', ADMIN_API.session);
  csrfToken = '';
}

/** Ends every session, this one too (a lost laptop, a leaked password); the page is signed out. */
export async function signOutEverywhere(): Promise<void> {
  await call('DELETE', ADMIN_API.sessions);
  csrfToken = '';
  window.dispatchEvent(new Event(SIGNED_OUT_EVENT));
}
