/**
 * A dashboard on a test server listening on loopback, with the password it opens with, for the
 * dashboard's tests: each file that imports this gets a server closed after each test and a
 * check, after the file, that neither the password nor its hash reached a reply or a log line.
 */
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { afterAll, afterEach, expect } from 'vitest';
import { hashPassword } from '../../src/admin/password.js';
import { recorded, startTestServer, type TestServer, type TestServerOptions } from '../support/harness.js';

export const PASSWORD = 'correct horse battery';
export const HASH = await hashPassword(PASSWORD);
/** The shop's own origin (the test server's PUBLIC_URL). */
export const OWN = 'http://shop.example.com';
export const SESSION = '/admin/api/session';

/** The running server (after {@link start}), and its address. */
export let server: TestServer | undefined;
export let base = '';

afterEach(stop);

/** Stops the running server, if any. */
export async function stop(): Promise<void> {
  await server?.close();
  server = undefined;
}

/** Starts a server with the dashboard on (on `dir`'s database, when given) and listens on loopback. */
export async function start(
  env: Record<string, string> = { IGEPAY_ADMIN_PASSWORD_HASH: HASH },
  build: NonNullable<TestServerOptions>['build'] = {},
  dir?: string,
): Promise<TestServer> {
  server = await startTestServer({
    ...(dir !== undefined && { dir }),
    env: { IGEPAY_ALLOWED_ORIGINS: 'https://widget.example.net', ...env },
    build,
  });
  await server.app.listen({ port: 0, host: '127.0.0.1' });
  base = `http://127.0.0.1:${(server.app.server.address() as AddressInfo).port}`;
  return server;
}

/** A request to the session route. */
export function call(
  method: string,
  init: { origin?: string; cookie?: string; csrf?: string; body?: unknown } = {},
) {
  const headers: Record<string, string> = {};
  if (init.origin) headers.origin = init.origin;
  if (init.cookie) headers.cookie = init.cookie;
  if (init.csrf) headers['x-csrf-token'] = init.csrf;
  if (init.body !== undefined) headers['content-type'] = 'application/json';
  return fetch(`${base}${SESSION}`, {
    method,
    headers,
    ...(init.body !== undefined && { body: JSON.stringify(init.body) }),
  });
}

/** Signs in as the dashboard's pages do: the session cookie and the CSRF token. */
export async function signIn(): Promise<{ cookie: string; token: string; csrf: string }> {
  const response = await call('POST', { origin: OWN, body: { password: PASSWORD } });
  expect(response.status).toBe(201);
  const setCookie = response.headers.get('set-cookie') ?? '';
  const token = /^igepay_admin=([\w-]+);/.exec(setCookie)?.[1] ?? '';
  const { csrf_token: csrf } = (await response.json()) as { csrf_token: string };
  return { cookie: `igepay_admin=${token}`, token, csrf };
}

/** The sessions the database keeps. */
export function sessionRows(): Array<{ id_hash: string; csrf_token: string }> {
  const db = new DatabaseSync(join(server?.dir ?? '', 'igepay.db'), { readOnly: true });
  try {
    return db.prepare('SELECT id_hash, csrf_token FROM admin_sessions').all() as never;
  } finally {
    db.close();
  }
}

/** Waits for `check` to hold. */
export async function until(check: () => boolean, ms = 5000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

afterAll(() => {
  // Neither the password nor its hash ever reached a reply or a log line.
  expect(recorded.responses.length).toBeGreaterThan(0);
  for (const text of [...recorded.logs, ...recorded.responses]) {
    expect(text).not.toContain(PASSWORD);
    expect(text).not.toContain(HASH);
    expect(text).not.toContain(HASH.split(':')[5]);
  }
});
