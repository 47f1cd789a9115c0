/*
 * The dashboard's calls to its own server's `/admin/api`, relative to the page: the dashboard
 * works under any prefix the server is mounted at. The session is an HttpOnly cookie the page
 * never sees; the CSRF token comes from the session and goes with every change.
 */

import type { Channel, OrderStatus } from '@igepay/shared';
import { showControls } from '@igepay/shared/browser';

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

/** Signed out (4011): the app shows the sign-in page. */
export const SIGNED_OUT = 4011;

let csrfToken = '';

/** Fired on `window` whenever a call finds the session gone. */
export const SIGNED_OUT_EVENT = 'igepay-admin-signed-out';

async function call<T>(method: string, path: string, body?: unknown): Promise<T> {
  let response: Response;
  try {
    response = await fetch(`api/${path}`, {
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

/** A session, and whether the server it opens is live (`false`: the sandbox). */
export interface Session {
  readonly csrf_token: string;
  readonly expires_at: string;
  readonly livemode: boolean;
}

/** The session, if the cookie still opens one. */
export async function resume(): Promise<Session | undefined> {
  try {
    const session = await call<Session>('GET', 'session');
    csrfToken = session.csrf_token;
    return session;
  } catch (error) {
    if (error instanceof ApiError && error.code === SIGNED_OUT) return undefined;
    throw error;
  }
}

export async function signIn(password: string): Promise<Session> {
  const session = await call<Session>('POST', 'session', { password });
  csrfToken = session.csrf_token;
  return session;
}

export async function signOut(): Promise<void> {
  await call('DELETE', 'session');
  csrfToken = '';
}

/** Ends every session, this one too (a lost laptop, a leaked password); the page is signed out. */
export async function signOutEverywhere(): Promise<void> {
  await call('DELETE', 'sessions');
  csrfToken = '';
  window.dispatchEvent(new Event(SIGNED_OUT_EVENT));
}

export const get = <T>(path: string) => call<T>('GET', path);
export const post = <T>(path: string, body?: unknown) => call<T>('POST', path, body);

/** Takings over some days, exact 2-decimal strings. */
export interface Takings {
  readonly total: string;
  readonly count: number;
  readonly by_channel: Readonly<Record<Channel, string>>;
}

export interface Overview {
  readonly livemode: boolean;
  readonly today: Takings;
  readonly last_7_days: Takings;
  readonly last_30_days: Takings;
  readonly daily: ReadonlyArray<Takings & { readonly day: string }>;
  readonly attention: {
    readonly unapplied_notifications: number;
    readonly late_payments: number;
    readonly undelivered_events: number;
    readonly oldest_undelivered_at: string | null;
    readonly rejected_notifications: number;
  };
}

export interface Order {
  readonly order_id: string;
  readonly status: OrderStatus;
  readonly price: string;
  readonly channel: Channel;
  readonly product: string | null;
  readonly order_name: string | null;
  readonly order_uid: string | null;
  readonly created_at: string;
  readonly paid_at: string | null;
  readonly pay_num: string | null;
  readonly transaction_id: string | null;
  readonly late: boolean;
  readonly failure_code: string | null;
  readonly echo_mismatch: Readonly<Record<string, string | null>> | null;
}

export interface Unapplied {
  readonly id: number;
  readonly reason: string;
  readonly order_id: string;
  readonly price: string;
  readonly pay_num: string | null;
  readonly code: string | null;
  readonly received_at: string;
  readonly fields: Readonly<Record<string, unknown>>;
  readonly resolved_at: string | null;
  readonly resolved_note: string | null;
  /** Variants of the same signed notification received after, counted and not kept. */
  readonly suppressed_variants: number;
}

export interface EventView {
  readonly id: string;
  readonly type: string;
  readonly created_at: string;
  readonly deliveries: ReadonlyArray<{
    readonly sink: string;
    readonly state: 'pending' | 'delivered' | 'failed';
    readonly attempts: number;
    readonly next_attempt_at: string | null;
    readonly last_error: string | null;
    readonly delivered_at: string | null;
  }>;
  readonly attempts: ReadonlyArray<{
    readonly sink: string;
    readonly at: string;
    readonly ok: boolean;
    readonly reply: string | null;
  }>;
}

export interface History {
  readonly order: Order & { readonly expires_at: string };
  readonly notifications: ReadonlyArray<{
    readonly received_at: string;
    readonly fields: Readonly<Record<string, unknown>>;
  }>;
  readonly unapplied: readonly Unapplied[];
  readonly events: readonly EventView[];
}

export interface AuditEntry {
  readonly id: number;
  readonly at: string;
  readonly action: string;
  readonly session: string;
  readonly client: string;
  readonly target: string | null;
  readonly note: string | null;
}
