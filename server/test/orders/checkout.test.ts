import { createHash } from 'node:crypto';
import { DatabaseSync } from 'node:sqlite';
import type { CheckoutResponse } from '@igepay/shared';
import { describe, expect, it } from 'vitest';
import { SqliteStore } from '../../src/store/sqlite/store.js';
import { checkout, postCheckout, sqlitePath, TOKEN, useTestServer } from '../support/harness.js';

const t = useTestServer();

/**
 * The key as the gateway document spells it out (docs/protocol.md §1.2), written independently of
 * our signing module: values concatenated in the listed order, MD5 of the UTF-8 bytes.
 */
function documentedKey(fields: CheckoutResponse['gateway']['fields'], withOrderUid: boolean): string {
  const parts = [
    fields.notify_url,
    fields.order_id,
    fields.order_name,
    withOrderUid ? fields.order_uid : undefined,
    fields.price,
    fields.return_url,
    TOKEN,
    fields.type,
    fields.uid,
  ];
  return createHash('md5')
    .update(Buffer.from(parts.filter((part) => part !== undefined).join(''), 'utf8'))
    .digest('hex');
}

describe('POST /api/checkout', () => {
  it('creates a catalog order with the catalog name and price, signed as the document says', async () => {
    const response = await postCheckout(t.server.app, { channel: 'alipay', product: 'vip' });
    expect(response.statusCode).toBe(201);
    expect(response.headers['cache-control']).toBe('no-store');
    const body = response.json<CheckoutResponse>();
    expect(body.gateway).toMatchObject({
      action: 'http://www.igepay.com/Home/Pay/payFor',
      method: 'POST',
      fields: {
        uid: '10001',
        price: '10.00',
        type: '2',
        order_name: 'VIP会员',
        notify_url: 'http://shop.example.com/api/igepay/notify',
        return_url: `http://shop.example.com/api/igepay/return?order_id=${body.order_id}`,
        order_id: body.order_id,
      },
    });
    expect(body.gateway.fields.key).toBe(documentedKey(body.gateway.fields, false));
    expect(Object.keys(body.gateway.fields).sort()).toEqual(
      ['key', 'notify_url', 'order_id', 'order_name', 'price', 'return_url', 'type', 'uid'].sort(),
    );
  });

  it('stores the order durably with the same amount and key it signed', async () => {
    const body = await checkout(t.server.app, {
      channel: 'wechat',
      price: '12.5',
      order_name: '充值 100 金币',
    });
    expect(body.gateway.fields.price).toBe('12.50');
    expect(body.gateway.fields.type).toBe('1');
    const store = await SqliteStore.open({ path: sqlitePath(t.server.config) });
    const stored = await store.getOrder(body.order_id);
    await store.close();
    expect(stored).toMatchObject({
      status: 'pending',
      priceCents: 1250,
      channel: 'wechat',
      orderName: '充值 100 金币',
      product: null,
      requestKey: body.gateway.fields.key,
    });
    expect(stored?.clientSecretHash).not.toContain(body.client_secret);
    expect(stored?.expiresAt).toBe((stored?.createdAt ?? 0) + 30 * 60_000);
  });

  it('makes unique, unguessable order ids of at most 50 characters and long random secrets', async () => {
    const orders = await Promise.all(
      Array.from({ length: 20 }, () => checkout(t.server.app, { channel: 'alipay', price: '1.00' })),
    );
    const ids = new Set(orders.map((order) => order.order_id));
    expect(ids.size).toBe(20);
    for (const order of orders) {
      expect(order.order_id).toMatch(/^\d{17}[0-9a-f]{32}$/);
      expect(order.order_id.length).toBeLessThanOrEqual(50);
      // 24 random bytes in base64url: 192 bits, well over the 128 required.
      expect(order.client_secret).toMatch(/^cs_[A-Za-z0-9_-]{32}$/);
    }
    expect(new Set(orders.map((order) => order.client_secret)).size).toBe(20);
  });

  it('leaves order_uid out of the key by default and sends it to the gateway', async () => {
    const body = await checkout(t.server.app, {
      channel: 'alipay',
      product: 'vip',
      order_uid: 'alice@example.com',
    });
    expect(body.gateway.fields.order_uid).toBe('alice@example.com');
    expect(body.gateway.fields.key).toBe(documentedKey(body.gateway.fields, false));
    expect(body.gateway.fields.key).not.toBe(documentedKey(body.gateway.fields, true));
  });

  it('signs order_uid in its alphabetical place with IGEPAY_SIGN_ORDER_UID=1', async () => {
    await t.restart({ env: { IGEPAY_SIGN_ORDER_UID: '1' } });
    const body = await checkout(t.server.app, {
      channel: 'alipay',
      product: 'vip',
      order_uid: 'alice@example.com',
    });
    expect(body.gateway.fields.key).toBe(documentedKey(body.gateway.fields, true));
    expect(body.gateway.fields.key).not.toBe(documentedKey(body.gateway.fields, false));
  });

  it('signs a Chinese order_name over its UTF-8 bytes', async () => {
    const body = await checkout(t.server.app, {
      channel: 'wechat',
      price: '0.01',
      order_name: '年度会员·高级版',
    });
    expect(body.gateway.fields.order_name).toBe('年度会员·高级版');
    expect(body.gateway.fields.key).toBe(documentedKey(body.gateway.fields, false));
  });

  it('accepts open amounts at the configured bounds and refuses them outside', async () => {
    await t.restart({ env: { IGEPAY_MIN_PRICE: '1.00', IGEPAY_MAX_PRICE: '200' } });
    expect((await postCheckout(t.server.app, { channel: 'alipay', price: '1' })).statusCode).toBe(201);
    expect((await postCheckout(t.server.app, { channel: 'alipay', price: '200.00' })).statusCode).toBe(201);
    for (const price of ['0.99', '200.01', '50000.00']) {
      const response = await postCheckout(t.server.app, { channel: 'alipay', price });
      expect(response.statusCode).toBe(400);
      expect(response.json()).toMatchObject({
        code: 4006,
        error: 'IGEPAY_ERR_PRICE_OUT_OF_RANGE',
        msg: 'The amount must be from 1.00 to 200.00.',
      });
    }
  });
});

describe('POST /api/checkout refuses bad input with a clear 4xx and creates nothing', () => {
  const cases: Array<[string, unknown, number, string]> = [
    ['no channel', { price: '1.00' }, 400, 'channel'],
    ['an unknown channel', { channel: 'paypal', price: '1.00' }, 400, 'channel'],
    ['both price and product', { channel: 'alipay', price: '1.00', product: 'vip' }, 400, 'price'],
    ['neither price nor product', { channel: 'alipay' }, 400, 'price'],
    ['a price with 3 decimals', { channel: 'alipay', price: '1.001' }, 400, 'price'],
    ['a price with an exponent', { channel: 'alipay', price: '1e2' }, 400, 'price'],
    ['a negative price', { channel: 'alipay', price: '-1.00' }, 400, 'price'],
    ['a price with spaces', { channel: 'alipay', price: ' 1.00' }, 400, 'price'],
    ['a zero price', { channel: 'alipay', price: '0.00' }, 400, 'price'],
    ['a number for price', { channel: 'alipay', price: 1 }, 400, 'price'],
    [
      'an order_name with a product',
      { channel: 'alipay', product: 'vip', order_name: 'Free' },
      400,
      'order_name',
    ],
    [
      'an order_name of 101 characters',
      { channel: 'alipay', price: '1.00', order_name: '会'.repeat(101) },
      400,
      'order_name',
    ],
    [
      'an order_uid of 101 characters',
      { channel: 'alipay', price: '1.00', order_uid: 'u'.repeat(101) },
      400,
      'order_uid',
    ],
    ['an empty order_uid', { channel: 'alipay', price: '1.00', order_uid: '' }, 400, 'order_uid'],
    ['a control character', { channel: 'alipay', price: '1.00', order_name: 'a\u0000b' }, 400, 'order_name'],
    // The live gateway's input filter rewrites these before it checks the key (docs/protocol.md §1.6).
    ...['&', '"', '<', '>', "'"].map((char): [string, unknown, number, string] => [
      `an order_name with ${char}`,
      { channel: 'alipay', price: '1.00', order_name: `A${char}B` },
      400,
      'order_name',
    ]),
    ['an order_uid with &', { channel: 'alipay', price: '1.00', order_uid: 'a&b' }, 400, 'order_uid'],
    [
      'a C1 control character',
      { channel: 'alipay', price: '1.00', order_name: 'a\u0085b' },
      400,
      'order_name',
    ],
    [
      'a bidi override',
      { channel: 'alipay', price: '1.00', order_name: 'abc\u202Egnp.exe' },
      400,
      'order_name',
    ],
    [
      'a bidi isolate in order_uid',
      { channel: 'alipay', price: '1.00', order_uid: 'u\u2066x' },
      400,
      'order_uid',
    ],
    [
      'an order_name of spaces only',
      { channel: 'alipay', price: '1.00', order_name: ' \u3000 ' },
      400,
      'order_name',
    ],
    ['an unknown field', { channel: 'alipay', price: '1.00', key: 'x' }, 400, ''],
    ['an array body', [{ channel: 'alipay' }], 400, ''],
  ];
  it.each(cases)('%s', async (_name, body, status, path) => {
    const response = await postCheckout(t.server.app, body);
    expect(response.statusCode).toBe(status);
    const reply = response.json();
    expect(reply).toMatchObject({ code: 4001, error: 'IGEPAY_ERR_VALIDATION' });
    expect(typeof reply.msg).toBe('string');
    if (path) expect(reply.issues.map((issue: { path: string }) => issue.path)).toContain(path);
  });

  it('names the field and the characters in the message, in words a developer can act on', async () => {
    const response = await postCheckout(t.server.app, {
      channel: 'alipay',
      price: '1.00',
      order_name: 'A&B',
    });
    expect(response.json().msg).toMatch(/order_name must not contain & " < > or '/);
    // What is allowed: Chinese, punctuation the filter leaves alone, spaces inside.
    const fine = await postCheckout(t.server.app, {
      channel: 'alipay',
      price: '1.00',
      order_name: 'VIP会员 · 年卡（2026）#1 50% off!',
    });
    expect(fine.statusCode).toBe(201);
  });

  it('an unknown product', async () => {
    const response = await postCheckout(t.server.app, { channel: 'alipay', product: 'nope' });
    expect(response.statusCode).toBe(400);
    expect(response.json()).toMatchObject({ code: 4005, error: 'IGEPAY_ERR_UNKNOWN_PRODUCT' });
  });

  it.each([
    ['form data', 'application/x-www-form-urlencoded', 'channel=alipay&price=1.00', 415, 4003],
    ['plain text', 'text/plain', '{"channel":"alipay","price":"1.00"}', 415, 4003],
    ['broken JSON', 'application/json', '{"channel":', 400, 4002],
    ['an empty JSON body', 'application/json', '', 400, 4002],
    [
      'a huge body',
      'application/json',
      JSON.stringify({ channel: 'alipay', order_name: 'x'.repeat(20_000) }),
      413,
      4004,
    ],
  ])('%s', async (_name, contentType, payload, status, code) => {
    const response = await t.server.app.inject({
      method: 'POST',
      url: '/api/checkout',
      headers: { 'content-type': contentType },
      payload,
    });
    expect(response.statusCode).toBe(status);
    expect(response.json()).toMatchObject({ code });
  });

  it('stores nothing for any refused request', async () => {
    await postCheckout(t.server.app, { channel: 'alipay', price: '1.001' });
    await postCheckout(t.server.app, { channel: 'alipay', product: 'nope' });
    const db = new DatabaseSync(sqlitePath(t.server.config), { readOnly: true });
    const count = (db.prepare('SELECT COUNT(*) AS n FROM orders').get() as { n: number }).n;
    db.close();
    expect(count).toBe(0);
  });
});

describe('rate limit and CORS', () => {
  it('limits checkouts per client address per minute with a 429 { code, msg }', async () => {
    await t.restart({ env: { IGEPAY_RATE_LIMIT: '3' } });
    const statuses = [];
    for (let i = 0; i < 5; i++)
      statuses.push((await postCheckout(t.server.app, { channel: 'alipay', price: '1.00' })).statusCode);
    expect(statuses).toEqual([201, 201, 201, 429, 429]);
    const limited = await postCheckout(t.server.app, { channel: 'alipay', price: '1.00' });
    expect(limited.json()).toMatchObject({ code: 4290, error: 'IGEPAY_ERR_RATE_LIMITED' });
    expect(limited.headers['retry-after']).toBeDefined();
    // Another client address is not affected.
    const other = await t.server.app.inject({
      method: 'POST',
      url: '/api/checkout',
      payload: { channel: 'alipay', price: '1.00' },
      remoteAddress: '10.0.0.9',
    });
    expect(other.statusCode).toBe(201);
  });

  it('allows the configured origins only', async () => {
    await t.restart({
      env: { IGEPAY_ALLOWED_ORIGINS: 'https://shop.example.com, https://m.example.com' },
    });
    const preflight = (origin: string) =>
      t.server.app.inject({
        method: 'OPTIONS',
        url: '/api/checkout',
        headers: {
          origin,
          'access-control-request-method': 'POST',
          'access-control-request-headers': 'content-type',
        },
      });
    expect((await preflight('https://m.example.com')).headers['access-control-allow-origin']).toBe(
      'https://m.example.com',
    );
    expect(
      (await preflight('https://evil.example.com')).headers['access-control-allow-origin'],
    ).toBeUndefined();
    // The server's own origin (PUBLIC_URL's) stays allowed: its pages, and redirect mode's
    // return_to on them, work with the shop's origins set.
    const own = new URL(t.server.config.publicUrl).origin;
    expect((await preflight(own)).headers['access-control-allow-origin']).toBe(own);
    const redirect = await postCheckout(
      t.server.app,
      { channel: 'alipay', price: '1.00', return_to: `${own}/` },
      { origin: own },
    );
    expect(redirect.statusCode, redirect.body).toBe(201);
  });

  it("allows only the server's own origin by default", async () => {
    const response = await postCheckout(
      t.server.app,
      { channel: 'alipay', price: '1.00' },
      { origin: 'http://shop.example.com' },
    );
    expect(response.headers['access-control-allow-origin']).toBe('http://shop.example.com');
    const foreign = await postCheckout(
      t.server.app,
      { channel: 'alipay', price: '1.00' },
      { origin: 'http://other.example' },
    );
    expect(foreign.headers['access-control-allow-origin']).toBeUndefined();
  });
});

describe('open amounts are a choice (IGEPAY_OPEN_AMOUNTS)', () => {
  it('with them off, refuses a price with 4007 naming it, sells the catalog, and tells pages so', async () => {
    await t.restart({ env: { IGEPAY_OPEN_AMOUNTS: '0' } });
    const refused = await postCheckout(t.server.app, {
      channel: 'alipay',
      price: '0.01',
      order_name: 'VIP会员',
    });
    expect(refused.statusCode).toBe(400);
    expect(refused.json()).toMatchObject({
      code: 4007,
      error: 'IGEPAY_ERR_OPEN_AMOUNTS_OFF',
      issues: [{ path: 'price' }],
    });
    expect((await postCheckout(t.server.app, { channel: 'alipay', product: 'vip' })).statusCode).toBe(201);
    const config = await t.server.app.inject({ method: 'GET', url: '/api/config' });
    expect(config.json()).toMatchObject({ open_amounts: false });
    const db = new DatabaseSync(sqlitePath(t.server.config), { readOnly: true });
    const prices = (db.prepare('SELECT price_cents FROM orders').all() as Array<{ price_cents: number }>).map(
      (row) => row.price_cents,
    );
    db.close();
    expect(prices).toEqual([1000]);
  });
});

describe('GET /api/config', () => {
  it('tells pages the open-amount bounds and the catalog, nothing else', async () => {
    const response = await t.server.app.inject({
      url: '/api/config',
      headers: { origin: 'http://shop.example.com' },
    });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({
      open_amounts: true,
      min_price: '0.01',
      max_price: '50000.00',
      products: { vip: { name: 'VIP会员', price: '10.00' }, mug: { name: 'Coffee mug', price: '12.30' } },
      sandbox: false,
    });
    // Any page may read it: it is on the merchant's pages anyway.
    expect(response.headers['access-control-allow-origin']).toBe('*');
    expect(response.headers.vary).toContain('origin');
  });

  const problemOf = async (query: string, origin = 'http://shop.example.com') =>
    (await t.server.app.inject({ url: `/api/config${query}`, headers: { origin } })).json<{
      problem?: string;
    }>().problem;

  it('says, before any click, why an element could not take a payment, and the fix', async () => {
    for (const query of ['', '?product=vip', '?price=9.90', '?price=12.3'])
      expect(await problemOf(query), query).toBe(undefined);
    expect(await problemOf('?product=vip-year')).toBe(
      'product="vip-year" is not in the catalog. The catalog (IGEPAY_PRODUCTS) has: vip, mug.',
    );
    for (const price of ['0', '50000.01', '1.234', 'abc'])
      expect(await problemOf(`?price=${price}`), price).toBe(
        `price="${price}" is not an amount this server takes: from 0.01 to 50000.00 yuan (IGEPAY_MIN_PRICE, IGEPAY_MAX_PRICE), at most 2 decimals.`,
      );
    // A page of an origin the server does not allow: its checkouts would be refused by CORS.
    expect(await problemOf('?product=vip', 'https://elsewhere.example')).toBe(
      'IGEPAY_ALLOWED_ORIGINS does not include https://elsewhere.example: pages there cannot make checkouts.',
    );
    // The server's own pages (the demo shop, at its own address) are always allowed.
    const own = await t.server.app.inject({
      url: '/api/config?product=vip',
      headers: { origin: 'http://localhost:80', host: 'localhost:80' },
    });
    expect(own.json()).not.toHaveProperty('problem');
  });

  it('names open amounts off on a catalog-only server', async () => {
    await t.restart({ env: { IGEPAY_OPEN_AMOUNTS: '0' } });
    expect(await problemOf('?price=9.90')).toBe(
      'This server takes catalog products only (IGEPAY_OPEN_AMOUNTS=0): give product="…" instead of price. The catalog (IGEPAY_PRODUCTS) has: vip, mug.',
    );
    expect(await problemOf('')).toBe(
      'This server takes catalog products only (IGEPAY_OPEN_AMOUNTS=0): give product="…". The catalog (IGEPAY_PRODUCTS) has: vip, mug.',
    );
    expect(await problemOf('?product=mug')).toBe(undefined);
  });

  it('refuses an overlong query with a 400, not a 5xx', async () => {
    const response = await t.server.app.inject({ url: `/api/config?product=${'x'.repeat(300)}` });
    expect(response.statusCode).toBe(400);
  });
});
