import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { hashPassword } from '../../src/admin/password.js';
import { SIGN_IN_PER_MINUTE_IN_ALL } from '../../src/routes/admin.js';
import type { TestServer } from '../support/harness.js';
import {
  base,
  call,
  HASH,
  OWN,
  PASSWORD,
  SESSION,
  server,
  sessionRows,
  signIn,
  start,
} from './dashboard-server.js';

describe('the dashboard session', () => {
  it('is not there at all unless IGEPAY_ADMIN_PASSWORD_HASH is set', async () => {
    await start({});
    const response = await call('POST', { origin: OWN, body: { password: PASSWORD } });
    expect(response.status).toBe(404);
    expect(await response.json()).toMatchObject({ error: 'IGEPAY_ERR_ROUTE_NOT_FOUND' });
  });

  it('opens with the password: an HttpOnly, SameSite=Strict cookie for /admin, whose token the database keeps only hashed', async () => {
    await start();
    const wrong = await call('POST', { origin: OWN, body: { password: 'correct horse batterY' } });
    expect(wrong.status).toBe(401);
    expect(await wrong.json()).toMatchObject({ code: 4012, error: 'IGEPAY_ERR_WRONG_PASSWORD' });
    expect(wrong.headers.get('set-cookie')).toBeNull();
    expect(sessionRows()).toEqual([]);

    const response = await call('POST', { origin: OWN, body: { password: PASSWORD } });
    expect(response.status).toBe(201);
    expect(response.headers.get('cache-control')).toBe('no-store');
    const setCookie = response.headers.get('set-cookie') ?? '';
    expect(setCookie).toMatch(
      /^igepay_admin=[\w-]{43}; Max-Age=43200; Path=\/admin; HttpOnly; SameSite=Strict$/,
    );
    const token = /^igepay_admin=([\w-]+);/.exec(setCookie)?.[1] ?? '';
    const body = (await response.json()) as {
      csrf_token: string;
      signed_in_at: string;
      expires_at: string;
      livemode: boolean;
    };
    expect(Date.parse(body.expires_at) - Date.parse(body.signed_in_at)).toBe(12 * 3_600_000);
    // The dashboard's header says live or sandbox from this, without asking for the overview.
    expect(body.livemode).toBe(true);
    // The store holds the token's SHA-256, never the token.
    expect(sessionRows()).toEqual([
      {
        id_hash: createHash('sha256')
          .update(`${HASH.split(':')[5]}\n${token}`)
          .digest('hex'),
        csrf_token: body.csrf_token,
      },
    ]);

    const read = await call('GET', { cookie: `igepay_admin=${token}` });
    expect(read.status).toBe(200);
    expect(await read.json()).toMatchObject({ csrf_token: body.csrf_token });
  });

  it('records every sign-in and sign-out in the audit trail: when, which session, from where', async () => {
    const running = await start();
    const { cookie, token, csrf } = await signIn();
    await call('DELETE', { cookie, origin: OWN, csrf });
    const trail = await running.app.igepay.store.listAdminActions(10);
    const session = createHash('sha256')
      .update(`${HASH.split(':')[5]}\n${token}`)
      .digest('hex')
      .slice(0, 12);
    expect(trail.map((entry) => [entry.action, entry.session, entry.client])).toEqual([
      ['sign-out', session, '127.0.0.1'],
      ['sign-in', session, '127.0.0.1'],
    ]);
  });

  it('answers nothing without a session, and nothing to a made-up cookie', async () => {
    await start();
    for (const cookie of [undefined, `igepay_admin=${'A'.repeat(43)}`, 'igepay_admin=short', 'other=1']) {
      const response = await call('GET', cookie === undefined ? {} : { cookie });
      expect(response.status, cookie).toBe(401);
      expect(await response.json()).toMatchObject({ code: 4011, error: 'IGEPAY_ERR_SIGNED_OUT' });
    }
    const signOut = await call('DELETE', { origin: OWN, csrf: 'x' });
    expect(signOut.status).toBe(401);
  });

  it('refuses a sign-in or a sign-out from a page of another origin, or without the CSRF token, and changes nothing', async () => {
    await start();
    for (const origin of [
      undefined,
      'https://evil.example',
      'https://widget.example.net',
      'http://shop.example.com:8080',
    ]) {
      const response = await call('POST', { ...(origin && { origin }), body: { password: PASSWORD } });
      expect(response.status, origin).toBe(403);
      expect(await response.json()).toMatchObject({ code: 4030, error: 'IGEPAY_ERR_FORBIDDEN' });
    }
    expect(sessionRows()).toEqual([]);

    const { cookie, csrf } = await signIn();
    const attempts = [
      { cookie, origin: OWN }, // no CSRF token
      { cookie, origin: OWN, csrf: `${csrf.slice(0, -1)}${csrf.endsWith('A') ? 'B' : 'A'}` }, // a wrong one
      { cookie, origin: 'https://evil.example', csrf }, // another site's page
      { cookie, csrf }, // no Origin
    ];
    for (const attempt of attempts) {
      const response = await call('DELETE', attempt);
      expect(response.status, JSON.stringify(attempt)).toBe(403);
    }
    expect(sessionRows()).toHaveLength(1);
    expect((await call('GET', { cookie })).status).toBe(200);
  });

  it('has no CORS: not even an origin the widget may use is allowed to read it', async () => {
    await start();
    const { cookie } = await signIn();
    const read = await fetch(`${base}${SESSION}`, {
      headers: { origin: 'https://widget.example.net', cookie },
    });
    expect(read.headers.get('access-control-allow-origin')).toBeNull();
    const preflight = await fetch(`${base}${SESSION}`, {
      method: 'OPTIONS',
      headers: { origin: 'https://widget.example.net', 'access-control-request-method': 'DELETE' },
    });
    expect(preflight.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('ends on sign-out: the cookie is taken back and the session is gone', async () => {
    await start();
    const { cookie, csrf } = await signIn();
    const response = await call('DELETE', { cookie, origin: OWN, csrf });
    expect(response.status).toBe(204);
    expect(response.headers.get('set-cookie')).toMatch(
      /^igepay_admin=; Path=\/admin; Expires=Thu, 01 Jan 1970 00:00:00 GMT; HttpOnly; SameSite=Strict$/,
    );
    expect(sessionRows()).toEqual([]);
    expect((await call('GET', { cookie })).status).toBe(401);
  });

  it('ends when the password hash changes: a session made under the old one opens nothing', async () => {
    const first = await start();
    const { cookie } = await signIn();
    expect((await call('GET', { cookie })).status).toBe(200);
    // The merchant sets a new password and restarts, on the same database.
    const dir = first.dir;
    await first.app.close();
    const NEW = await hashPassword('a brand new passphrase');
    await start({ IGEPAY_ADMIN_PASSWORD_HASH: NEW }, {}, dir);
    expect(sessionRows()).toHaveLength(1);
    const old = await call('GET', { cookie });
    expect(old.status).toBe(401);
    expect(await old.json()).toMatchObject({ error: 'IGEPAY_ERR_SIGNED_OUT' });
  });

  it('signs out everywhere: every session ends, this one too, and the audit keeps it', async () => {
    await start();
    const [phone, laptop] = [await signIn(), await signIn()];
    const refused = await fetch(`${base}/admin/api/sessions`, {
      method: 'DELETE',
      headers: { cookie: phone.cookie, origin: OWN },
    });
    expect(refused.status).toBe(403);
    expect(sessionRows()).toHaveLength(2);
    const ended = await fetch(`${base}/admin/api/sessions`, {
      method: 'DELETE',
      headers: { cookie: phone.cookie, origin: OWN, 'x-csrf-token': phone.csrf },
    });
    expect(ended.status).toBe(204);
    expect(ended.headers.get('set-cookie')).toMatch(/^igepay_admin=; /);
    expect(sessionRows()).toEqual([]);
    for (const { cookie } of [phone, laptop]) expect((await call('GET', { cookie })).status).toBe(401);
    const actions = await (server as TestServer).app.igepay.store.listAdminActions(10);
    expect(actions.map((a) => a.action)).toContain('sign-out-all');
  });

  it('ends after 30 idle minutes, and 12 hours after sign-in however much it is used', async () => {
    const running = await start();
    const idle = await signIn();
    running.advance(29 * 60_000);
    expect((await call('GET', { cookie: idle.cookie })).status).toBe(200);
    running.advance(29 * 60_000);
    expect((await call('GET', { cookie: idle.cookie })).status).toBe(200); // used 29 minutes ago
    running.advance(31 * 60_000);
    expect((await call('GET', { cookie: idle.cookie })).status).toBe(401);
    expect(sessionRows()).toEqual([]);

    const busy = await signIn();
    for (let hour = 0; hour < 24; hour += 1) {
      running.advance(29 * 60_000);
      const status = (await call('GET', { cookie: busy.cookie })).status;
      // 12 h after sign-in, the 25th use (at 12 h 5 min) is refused.
      expect(status, `use ${hour + 1}`).toBe((hour + 1) * 29 < 12 * 60 ? 200 : 401);
    }
  });

  it('marks the cookie Secure when the dashboard is served over https', async () => {
    await start({ IGEPAY_ADMIN_PASSWORD_HASH: HASH, PUBLIC_URL: 'https://shop.example.com' });
    const response = await call('POST', { origin: 'https://shop.example.com', body: { password: PASSWORD } });
    expect(response.status).toBe(201);
    expect(response.headers.get('set-cookie')).toContain('; Secure');
  });

  it(`takes ${5} sign-in attempts a minute from one address, then refuses even the right password`, async () => {
    await start();
    for (let attempt = 0; attempt < 5; attempt += 1) {
      expect(
        (await call('POST', { origin: OWN, body: { password: `wrong password ${attempt}` } })).status,
      ).toBe(401);
    }
    const limited = await call('POST', { origin: OWN, body: { password: PASSWORD } });
    expect(limited.status).toBe(429);
    expect(await limited.json()).toMatchObject({ error: 'IGEPAY_ERR_RATE_LIMITED' });
    expect(limited.headers.get('set-cookie')).toBeNull();
    expect(sessionRows()).toEqual([]);
    // Each refusal is logged with the client's address, never with what was typed.
    const refusals = server?.logs.filter((line) => line.event === 'admin.sign-in-refused') ?? [];
    expect(refusals).toHaveLength(5);
    expect(refusals[0]).toMatchObject({ client: '127.0.0.1' });
  });
});

describe('the sign-in limits', () => {
  it("counts only attempts that reach the password: another site's requests lock nobody out", async () => {
    await start();
    for (let i = 0; i < 10; i += 1) {
      const forged = await call('POST', { origin: 'https://evil.example', body: { password: `guess ${i}` } });
      expect(forged.status).toBe(403);
    }
    expect((await call('POST', { origin: OWN, body: { password: PASSWORD } })).status).toBe(201);
  });

  it('holds a ceiling for the whole server, which a client naming a new address each time meets', async () => {
    // One hop trusted: a client reaching the server directly names its own address.
    await start({ IGEPAY_ADMIN_PASSWORD_HASH: HASH, IGEPAY_TRUST_PROXY: '1' });
    const statuses: number[] = [];
    for (let i = 0; i < SIGN_IN_PER_MINUTE_IN_ALL + 5; i += 1) {
      const response = await fetch(`${base}${SESSION}`, {
        method: 'POST',
        headers: { origin: OWN, 'content-type': 'application/json', 'x-forwarded-for': `198.51.100.${i}` },
        body: JSON.stringify({ password: `guess ${i}` }),
      });
      statuses.push(response.status);
    }
    expect(statuses.slice(0, SIGN_IN_PER_MINUTE_IN_ALL).every((status) => status === 401)).toBe(true);
    expect(statuses.slice(SIGN_IN_PER_MINUTE_IN_ALL)).toEqual([429, 429, 429, 429, 429]);
    // A minute later the merchant signs in.
    server?.advance(61_000);
    expect((await call('POST', { origin: OWN, body: { password: PASSWORD } })).status).toBe(201);
  });

  it('keeps every refused sign-in in the audit trail, with the address it came from', async () => {
    const running = await start();
    for (let i = 0; i < 2; i += 1) await call('POST', { origin: OWN, body: { password: `wrong ${i}` } });
    await signIn();
    const trail = await running.app.igepay.store.listAdminActions(10);
    expect(trail.map((entry) => [entry.action, entry.client])).toEqual([
      ['sign-in', '127.0.0.1'],
      ['sign-in-refused', '127.0.0.1'],
      ['sign-in-refused', '127.0.0.1'],
    ]);
  });
});
