import { createHash } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import type { Overview } from '@igepay/shared';
import { type CheckoutResponse, formatPrice, parsePrice } from '@igepay/shared';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { hashPassword } from '../../src/admin/password.js';
import { SIGN_IN_PER_MINUTE_IN_ALL } from '../../src/routes/admin.js';
import {
  checkout,
  notificationFor,
  postNotify,
  recorded,
  startTestServer,
  type TestServer,
  type TestServerOptions,
} from '../support/harness.js';

const PASSWORD = 'correct horse battery';
const HASH = await hashPassword(PASSWORD);
const OWN = 'http://shop.example.com';
const SESSION = '/admin/api/session';

let server: TestServer | undefined;
let base = '';
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function start(
  env: Record<string, string> = { IGEPAY_ADMIN_PASSWORD_HASH: HASH },
  build: NonNullable<TestServerOptions>['build'] = {},
): Promise<TestServer> {
  server = await startTestServer({
    env: { IGEPAY_ALLOWED_ORIGINS: 'https://widget.example.net', ...env },
    build,
  });
  await server.app.listen({ port: 0, host: '127.0.0.1' });
  base = `http://127.0.0.1:${(server.app.server.address() as AddressInfo).port}`;
  return server;
}

function call(
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
async function signIn(): Promise<{ cookie: string; token: string; csrf: string }> {
  const response = await call('POST', { origin: OWN, body: { password: PASSWORD } });
  expect(response.status).toBe(201);
  const setCookie = response.headers.get('set-cookie') ?? '';
  const token = /^igepay_admin=([\w-]+);/.exec(setCookie)?.[1] ?? '';
  const { csrf_token: csrf } = (await response.json()) as { csrf_token: string };
  return { cookie: `igepay_admin=${token}`, token, csrf };
}

function sessionRows(): Array<{ id_hash: string; csrf_token: string }> {
  const db = new DatabaseSync(join(server?.dir ?? '', 'igepay.db'), { readOnly: true });
  try {
    return db.prepare('SELECT id_hash, csrf_token FROM admin_sessions').all() as never;
  } finally {
    db.close();
  }
}

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
    server = await startTestServer({ dir, env: { IGEPAY_ADMIN_PASSWORD_HASH: NEW } });
    await server.app.listen({ port: 0, host: '127.0.0.1' });
    base = `http://127.0.0.1:${(server.app.server.address() as AddressInfo).port}`;
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

describe('the dashboard overview', () => {
  it('shows the takings of a payment, today and per day by channel, and what needs attention', async () => {
    const running = await start();
    const signedOut = await fetch(`${base}/admin/api/overview`);
    expect(signedOut.status).toBe(401);
    const { cookie } = await signIn();
    const coffee = await checkout(running.app, { product: 'mug', channel: 'alipay' });
    expect((await postNotify(running.app, notificationFor(coffee))).body).toBe('success');
    const tip = await checkout(running.app, { price: '8.80', channel: 'wechat' });
    expect((await postNotify(running.app, notificationFor(tip))).body).toBe('success');
    const response = await fetch(`${base}/admin/api/overview?tz_offset=480`, { headers: { cookie } });
    expect(response.status).toBe(200);
    const overview = (await response.json()) as Overview;
    const price = coffee.gateway.fields.price;
    const total = formatPrice((parsePrice(price) ?? 0) + 880);
    expect(overview.livemode).toBe(true);
    expect(overview.today).toEqual({ total, count: 2, by_channel: { wechat: '8.80', alipay: price } });
    expect(overview.last_7_days).toEqual(overview.today);
    expect(overview.last_30_days).toEqual(overview.today);
    expect(overview.daily).toHaveLength(30);
    const today = new Date(Date.now() + 480 * 60_000).toISOString().slice(0, 10);
    expect(overview.daily.at(-1)).toEqual({ day: today, ...overview.today });
    expect(overview.daily[0]).toMatchObject({ total: '0.00', count: 0 });
    expect(overview.attention).toEqual({
      unapplied_notifications: 0,
      late_payments: 0,
      undelivered_events: 0,
      oldest_undelivered_at: null,
      rejected_notifications: 0,
    });
    // A forged notification is refused and counted where a person will see it.
    await postNotify(running.app, { ...notificationFor(tip), sign: 'f'.repeat(32) });
    const after = (await (
      await fetch(`${base}/admin/api/overview`, { headers: { cookie } })
    ).json()) as Overview;
    expect(after.attention.rejected_notifications).toBe(1);
    const bad = await fetch(`${base}/admin/api/overview?tz_offset=99999`, { headers: { cookie } });
    expect(bad.status).toBe(400);
  });
});

describe('the dashboard orders list', () => {
  it('filters, searches and pages the orders (keyset), and exports the selection as CSV', async () => {
    const running = await start();
    expect((await fetch(`${base}/admin/api/orders`)).status).toBe(401);
    expect((await fetch(`${base}/admin/api/orders.csv`)).status).toBe(401);
    const { cookie } = await signIn();
    const made: CheckoutResponse[] = [];
    for (const [i, body] of [
      { product: 'vip', channel: 'wechat' },
      { price: '8.80', channel: 'alipay', order_name: '=1+1 赞助', order_uid: 'customer-7' },
      { product: 'mug', channel: 'alipay' },
      { price: '1288.00', channel: 'wechat', order_name: '年会 礼品' },
      { product: 'vip', channel: 'alipay' },
    ].entries()) {
      running.advance(1000); // one a second, in this order
      made[i] = await checkout(running.app, body);
    }
    expect((await postNotify(running.app, notificationFor(made[1] as CheckoutResponse))).body).toBe(
      'success',
    );
    const list = async (query: string) => {
      const response = await fetch(`${base}/admin/api/orders?${query}`, { headers: { cookie } });
      expect(response.status, await response.clone().text()).toBe(200);
      return (await response.json()) as {
        orders: Array<{ order_id: string; status: string; price: string }>;
        next: string | null;
      };
    };
    const id = (i: number) => made[i]?.order_id;
    expect((await list('')).orders.map((o) => o.order_id)).toEqual([id(4), id(3), id(2), id(1), id(0)]);
    expect((await list('status=paid')).orders).toMatchObject([
      { order_id: id(1), status: 'paid', price: '8.80' },
    ]);
    expect((await list('channel=wechat')).orders.map((o) => o.order_id)).toEqual([id(3), id(0)]);
    expect((await list('product=vip&channel=alipay')).orders.map((o) => o.order_id)).toEqual([id(4)]);
    expect((await list(`q=${id(2)}`)).orders.map((o) => o.order_id)).toEqual([id(2)]);
    expect((await list('q=customer-7')).orders.map((o) => o.order_id)).toEqual([id(1)]);
    expect((await list(`q=${encodeURIComponent('礼品')}`)).orders.map((o) => o.order_id)).toEqual([id(3)]);
    // Two a page: each page's `next` is the next one's `after`, until there is none.
    const seen: string[] = [];
    let after = '';
    for (let pages = 0; pages < 10; pages += 1) {
      const page = await list(`limit=2${after}`);
      seen.push(...page.orders.map((o) => o.order_id));
      if (page.next === null) break;
      after = `&after=${encodeURIComponent(page.next)}`;
    }
    expect(seen).toEqual([id(4), id(3), id(2), id(1), id(0)]);
    for (const bad of [
      'limit=0',
      'limit=500',
      'status=lost',
      'after=nonsense',
      'from=yesterday',
      'from=2026-12-02&to=2026-12-01',
    ]) {
      const response = await fetch(`${base}/admin/api/orders?${bad}`, { headers: { cookie } });
      expect(response.status, bad).toBe(400);
    }

    const csv = await fetch(`${base}/admin/api/orders.csv?channel=alipay`, { headers: { cookie } });
    expect(csv.status).toBe(200);
    expect(csv.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(csv.headers.get('content-disposition')).toBe('attachment; filename="igepay-orders.csv"');
    const bytes = new Uint8Array(await csv.arrayBuffer());
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const lines = new TextDecoder().decode(bytes.slice(3)).trimEnd().split('\n');
    expect(lines[0]).toBe(
      'order_id,status,price,channel,product,order_name,order_uid,created_at,paid_at,pay_num,transaction_id,late',
    );
    expect(lines.slice(1).map((line) => line.split(',')[0])).toEqual([id(4), id(2), id(1)]);
    // A name that starts like a formula stays text in a spreadsheet.
    expect(lines[3]?.startsWith(`${id(1)},paid,8.80,alipay,,'=1+1 赞助,customer-7,`)).toBe(true);
    // Times as the merchant's clock reads them (China's by default), the offset written.
    const createdAt = (line: string | undefined) => line?.split(',')[7] ?? '';
    const made1 = (await running.app.igepay.store.getOrder(id(1) ?? ''))?.createdAt ?? 0;
    const at = (offset: number) => new Date(made1 + offset * 60_000).toISOString().slice(0, 19);
    expect(createdAt(lines[3])).toBe(`${at(480)}+08:00`);
    const utc = await fetch(`${base}/admin/api/orders.csv?channel=alipay&tz_offset=-330`, {
      headers: { cookie },
    });
    expect(createdAt((await utc.text()).trimEnd().split('\n')[3])).toBe(`${at(-330)}-05:30`);
  });
});

describe('the dashboard actions', () => {
  it("redelivers an event to the shop's app on loopback (same id), only with the CSRF token, and audits it", async () => {
    const received: string[] = [];
    const app = createServer((request, response) => {
      received.push(String(request.headers['webhook-id']));
      request.resume();
      request.on('end', () => response.writeHead(200).end('ok'));
    });
    await new Promise<void>((resolve) => app.listen(0, '127.0.0.1', resolve));
    try {
      const url = `http://127.0.0.1:${(app.address() as AddressInfo).port}/hooks`;
      const running = await start(
        {
          IGEPAY_ADMIN_PASSWORD_HASH: HASH,
          IGEPAY_FORWARD_URL: url,
          IGEPAY_FORWARD_SECRET: 'whsec_Zm9yd2FyZC1zZWNyZXQtZm9yLXRlc3RzLTAxMjM0NTY=',
        },
        { deliveryPollMs: 30, retry: { baseMs: 40, maxMs: 200, giveUpAfterMs: 60_000 } },
      );
      const order = await checkout(running.app, { product: 'vip', channel: 'wechat' });
      expect((await postNotify(running.app, notificationFor(order))).body).toBe('success');
      await until(() => received.length === 1);
      const eventId = `evt_paid_${order.order_id}`;
      expect(received).toEqual([eventId]);
      const { cookie, csrf } = await signIn();
      const redeliver = (headers: Record<string, string>) =>
        fetch(`${base}/admin/api/events/${eventId}/redeliver`, {
          method: 'POST',
          headers: { cookie, ...headers },
        });
      expect((await redeliver({ origin: OWN })).status).toBe(403);
      expect((await redeliver({ origin: 'https://evil.example', 'x-csrf-token': csrf })).status).toBe(403);
      await new Promise((resolve) => setTimeout(resolve, 150));
      expect(received).toHaveLength(1);
      const done = await redeliver({ origin: OWN, 'x-csrf-token': csrf });
      expect(done.status).toBe(200);
      expect(await done.json()).toEqual({ id: eventId, queued_for: ['forward'] });
      await until(() => received.length === 2);
      expect(received).toEqual([eventId, eventId]);
      const missing = await fetch(`${base}/admin/api/events/evt_nope/redeliver`, {
        method: 'POST',
        headers: { cookie, origin: OWN, 'x-csrf-token': csrf },
      });
      expect(missing.status).toBe(404);
      const trail = await running.app.igepay.store.listAdminActions(10);
      expect(trail[0]).toMatchObject({ action: 'redeliver', target: eventId, client: '127.0.0.1' });
    } finally {
      await server?.close();
      server = undefined;
      await new Promise((resolve) => app.close(resolve));
    }
  });

  it('resolves a notification that could not be applied, once, with a note the audit keeps', async () => {
    const running = await start();
    const order = await checkout(running.app, { product: 'vip', channel: 'wechat' });
    // Validly signed, but for another amount: kept for a person, never paid.
    expect((await postNotify(running.app, notificationFor(order, { price: '0.01' }))).body).toBe('success');
    const { cookie, csrf } = await signIn();
    const attention = async () =>
      ((await (await fetch(`${base}/admin/api/overview`, { headers: { cookie } })).json()) as Overview)
        .attention;
    expect((await attention()).unapplied_notifications).toBe(1);
    const [unapplied] = await running.app.igepay.store.listUnapplied();
    const resolve = (
      body: unknown,
      headers: Record<string, string> = { origin: OWN, 'x-csrf-token': csrf },
    ) =>
      fetch(`${base}/admin/api/unapplied/${unapplied?.id}/resolve`, {
        method: 'POST',
        headers: { cookie, 'content-type': 'application/json', ...headers },
        body: JSON.stringify(body),
      });
    expect((await resolve({ note: '已联系买家退款' }, { origin: OWN })).status).toBe(403);
    expect((await resolve({ note: '   ' })).status).toBe(400);
    expect((await resolve({ note: '已联系买家退款' })).status).toBe(200);
    expect((await attention()).unapplied_notifications).toBe(0);
    expect((await resolve({ note: 'again' })).status).toBe(404);
    const trail = await running.app.igepay.store.listAdminActions(10);
    expect(trail[0]).toMatchObject({
      action: 'resolve',
      target: `unapplied:${unapplied?.id}`,
      note: '已联系买家退款',
    });
  });
});

async function until(check: () => boolean, ms = 5000): Promise<void> {
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
