import { describe, expect, it } from 'vitest';
import {
  checkout,
  getOrder,
  newOrder,
  notificationFor,
  postCheckout,
  postNotify,
  useTestServer,
} from '../support/harness.js';

const t = useTestServer();

const open = (url: string, lang?: string) =>
  t.server.app.inject({ method: 'GET', url, headers: lang ? { 'accept-language': lang } : {} });

describe('GET /api/igepay/return', () => {
  it("sends a redirect-mode buyer back to the merchant's page, which must be on an allowed origin", async () => {
    const page = 'http://shop.example.com/cart?step=pay#top';
    const order = await checkout(t.server.app, { channel: 'wechat', product: 'vip', return_to: page });
    const back = await open(`/api/igepay/return?order_id=${order.order_id}`);
    expect(back.statusCode).toBe(303);
    expect(back.headers.location).toBe(page);
    // Still not proof: coming back changes nothing.
    expect((await getOrder(t.server.app, order)).json().status).toBe('pending');

    for (const elsewhere of [
      'https://evil.example/phish',
      'javascript:alert(1)',
      'http://shop.example.com.evil.example/',
    ]) {
      const refused = await postCheckout(t.server.app, {
        channel: 'wechat',
        product: 'vip',
        return_to: elsewhere,
      });
      expect(refused.statusCode, elsewhere).toBe(400);
      expect(refused.json().issues[0].path).toBe('return_to');
    }
  });

  it('takes only printable return_to addresses, and never fails on an unprintable one stored before', async () => {
    for (const unprintable of [
      'http://shop.example.com/a\r\nSet-Cookie: x=1',
      'http://shop.example.com/a\u0000b',
      'http://shop.example.com/a\u2028b',
      'http://shop.example.com/a b',
      'http://shop.example.com/a\u0085b',
    ]) {
      const refused = await postCheckout(t.server.app, {
        channel: 'wechat',
        product: 'vip',
        return_to: unprintable,
      });
      expect(refused.statusCode, JSON.stringify(unprintable)).toBe(400);
      expect(refused.json().issues[0]).toMatchObject({
        path: 'return_to',
        message: expect.stringMatching(/printable/),
      });
    }
    // An order an earlier version stored with such an address shows its status page instead of a 500.
    const now = Date.now();
    await t.server.app.igepay.store.createOrder(
      newOrder('older-order-2', {
        returnTo: 'http://shop.example.com/a\r\nb',
        createdAt: now,
        expiresAt: now + 60_000,
      }),
    );
    const page = await open('/api/igepay/return?order_id=older-order-2');
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('data-status="pending"');
  });

  it('sends back to a page whose address holds any character (stored as the URL serializes it), over HTTP', async () => {
    const base = await t.server.app.listen({ port: 0, host: '127.0.0.1' });
    const back = (orderId: string) =>
      fetch(`${base}/api/igepay/return?order_id=${orderId}`, { redirect: 'manual' });
    for (const [page, location] of [
      [
        'http://shop.example.com/搜索?q=支付#付款',
        'http://shop.example.com/%E6%90%9C%E7%B4%A2?q=%E6%94%AF%E4%BB%98#%E4%BB%98%E6%AC%BE',
      ],
      ['http://shop.example.com/?q=\u0100', 'http://shop.example.com/?q=%C4%80'],
      ['http://shop.example.com/?q=\ud800', 'http://shop.example.com/?q=%EF%BF%BD'],
    ] as const) {
      const order = await checkout(t.server.app, { channel: 'wechat', product: 'vip', return_to: page });
      expect((await t.server.app.igepay.store.getOrder(order.order_id))?.returnTo).toBe(location);
      const answer = await back(order.order_id);
      expect(answer.status, page).toBe(303);
      expect(answer.headers.get('location')).toBe(location);
    }
    // One stored raw by an earlier version is sent back serialized, not answered with a 500.
    const now = Date.now();
    await t.server.app.igepay.store.createOrder(
      newOrder('older-order-3', {
        returnTo: 'http://shop.example.com/?q=支付',
        createdAt: now,
        expiresAt: now + 60_000,
      }),
    );
    const older = await back('older-order-3');
    expect(older.status).toBe(303);
    expect(older.headers.get('location')).toBe('http://shop.example.com/?q=%E6%94%AF%E4%BB%98');
  });

  it('is not proof of payment: opening it leaves the order pending, and it says so', async () => {
    const order = await checkout(t.server.app, { channel: 'alipay', product: 'vip' });
    const returnUrl = new URL(order.gateway.fields.return_url);
    for (let i = 0; i < 3; i++) {
      const page = await open(`${returnUrl.pathname}${returnUrl.search}&code=0000&status=paid`);
      expect(page.statusCode).toBe(200);
      expect(page.headers['content-type']).toMatch(/^text\/html; charset=utf-8/);
      expect(page.body).toContain('data-status="pending"');
      expect(page.body).toContain('正在确认支付');
      expect(page.body).toContain('http-equiv="refresh"');
    }
    expect((await getOrder(t.server.app, order)).json().status).toBe('pending');
  });

  it('shows paid once the notification was verified, in English when asked', async () => {
    const order = await checkout(t.server.app, { channel: 'alipay', product: 'mug' });
    await postNotify(t.server.app, notificationFor(order));
    const page = await open(`/api/igepay/return?order_id=${order.order_id}`, 'en-US,en;q=0.9');
    expect(page.body).toContain('data-status="paid"');
    expect(page.body).toContain('Payment received');
    expect(page.body).toContain('¥12.30');
    expect(page.body).not.toContain('http-equiv="refresh"');
    expect(page.headers['content-security-policy']).toContain("default-src 'none'");
    // One script, bound to this response's nonce: it closes the widget's payment window.
    const nonce = /script-src 'nonce-([^']+)'/.exec(String(page.headers['content-security-policy']))?.[1];
    expect(page.body).toContain(`<script nonce="${nonce}">if (window.name.startsWith('igepay-')`);
    expect(page.headers['referrer-policy']).toBe('no-referrer');
  });

  it('shows failed and expired orders as such', async () => {
    const failed = await checkout(t.server.app, { channel: 'wechat', product: 'vip' });
    await postNotify(t.server.app, notificationFor(failed, { code: '3001' }));
    expect((await open(`/api/igepay/return?order_id=${failed.order_id}`)).body).toContain(
      'data-status="failed"',
    );
    const expired = await checkout(t.server.app, { channel: 'wechat', product: 'vip' });
    t.server.advance(31 * 60_000);
    expect((await open(`/api/igepay/return?order_id=${expired.order_id}`)).body).toContain(
      'data-status="expired"',
    );
  });

  it('escapes the order name (checkout refuses such names now; older orders may have one)', async () => {
    await t.server.app.igepay.store.createOrder(
      newOrder('older-order-1', {
        orderName: '<script>alert(1)</script>',
        createdAt: Date.now(),
        expiresAt: Date.now() + 60_000,
      }),
    );
    const page = await open('/api/igepay/return?order_id=older-order-1');
    expect(page.body).not.toContain('<script>');
    expect(page.body).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
  });

  it('answers 404 with a page for an unknown or missing order id', async () => {
    for (const url of [
      '/api/igepay/return',
      '/api/igepay/return?order_id=nope',
      `/api/igepay/return?order_id=${'x'.repeat(80)}`,
    ]) {
      const page = await open(url);
      expect(page.statusCode).toBe(404);
      expect(page.body).toContain('data-status="missing"');
    }
  });
});
