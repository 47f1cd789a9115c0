import type { AddressInfo } from 'node:net';
import { type CheckoutResponse, OrderQuerySchema, type OrderView } from '@igepay/shared';
import { beforeEach, describe, expect, it } from 'vitest';
import { MAX_POLLS_PER_ORDER } from '../../src/routes/orders.js';
import { checkout, getOrder, notificationFor, postNotify, useTestServer } from '../support/harness.js';

const t = useTestServer();
const statusOf = async (response: Response) => ((await response.json()) as OrderView).status;

describe('GET /api/orders/:order_id', () => {
  it('shows the order to the holder of its client secret', async () => {
    const order = await checkout(t.server.app, { channel: 'alipay', product: 'vip' });
    const response = await getOrder(t.server.app, order);
    expect(response.statusCode).toBe(200);
    expect(response.headers['cache-control']).toBe('no-store');
    expect(response.json()).toMatchObject({
      order_id: order.order_id,
      status: 'pending',
      price: '10.00',
      channel: 'alipay',
      product: 'vip',
      order_name: 'VIP会员',
      paid_at: null,
      late: false,
    });
    // A late payment is waited for 15 minutes past the expiry (IGEPAY_LATE_PAYMENT_MINUTES).
    const { expires_at, late_until } = response.json() as OrderView;
    expect(Date.parse(late_until) - Date.parse(expires_at)).toBe(15 * 60_000);
  });

  it('answers 404 alike for a wrong secret, a missing secret and an unknown order', async () => {
    const order = await checkout(t.server.app, { channel: 'alipay', product: 'vip' });
    const wrong = await t.server.app.inject(`/api/orders/${order.order_id}?client_secret=cs_wrong`);
    const unknown = await t.server.app.inject(
      `/api/orders/20260101deadbeef?client_secret=${order.client_secret}`,
    );
    expect(wrong.statusCode).toBe(404);
    expect(unknown.statusCode).toBe(404);
    expect(wrong.json()).toEqual(unknown.json());
    expect(wrong.json()).toMatchObject({ code: 4040, error: 'IGEPAY_ERR_ORDER_NOT_FOUND' });
    const missing = await t.server.app.inject(`/api/orders/${order.order_id}`);
    expect(missing.statusCode).toBe(400);
    expect(missing.json().issues[0].path).toBe('client_secret');
  });

  it('refuses a wait that is not a whole number of seconds, and caps long waits at 30 s', async () => {
    const order = await checkout(t.server.app, { channel: 'alipay', product: 'vip' });
    for (const wait of ['-1', '1.5', 'abc', '']) {
      expect((await getOrder(t.server.app, order, `&wait=${wait}`)).statusCode, wait).toBe(400);
    }
    expect(OrderQuerySchema.parse({ client_secret: 'x', wait: '999' }).wait).toBe(30);
    expect(OrderQuerySchema.parse({ client_secret: 'x', wait: '5' }).wait).toBe(5);
  });

  it('shows an order past its expiry as expired', async () => {
    const order = await checkout(t.server.app, { channel: 'alipay', product: 'vip' });
    t.server.advance(30 * 60_000);
    expect((await getOrder(t.server.app, order)).json().status).toBe('expired');
  });
});

describe('long poll over real HTTP on loopback', () => {
  let base: string;
  const listen = async () => {
    await t.server.app.listen({ port: 0, host: '127.0.0.1' });
    base = `http://127.0.0.1:${(t.server.app.server.address() as AddressInfo).port}`;
  };
  /** The widget's long poll: `GET /api/orders/:id` with the secret and a wait. */
  const poll = (order: CheckoutResponse, wait: number) =>
    fetch(`${base}/api/orders/${order.order_id}?client_secret=${order.client_secret}&wait=${wait}`);
  beforeEach(listen);

  it('wakes a waiting request as soon as the payment is verified', async () => {
    const order = await checkout(t.server.app, { channel: 'alipay', product: 'vip' });
    const startedAt = Date.now();
    const held = poll(order, 20);
    await new Promise((resolve) => setTimeout(resolve, 300));
    const notify = await fetch(`${base}/api/igepay/notify`, {
      method: 'POST',
      body: new URLSearchParams(notificationFor(order)),
    });
    expect(await notify.text()).toBe('success');
    const reply = await held;
    expect(await statusOf(reply)).toBe('paid');
    // Woken by the payment, not by the 20 s wait running out (a generous bound).
    expect(Date.now() - startedAt).toBeLessThan(10_000);
  });

  it('answers at once for an order that is already paid', async () => {
    const order = await checkout(t.server.app, { channel: 'alipay', product: 'vip' });
    await postNotify(t.server.app, notificationFor(order));
    const startedAt = Date.now();
    const reply = await poll(order, 20);
    expect(await statusOf(reply)).toBe('paid');
    expect(Date.now() - startedAt).toBeLessThan(10_000);
  });

  it('answers with pending when the wait ends without a change', async () => {
    const order = await checkout(t.server.app, { channel: 'alipay', product: 'vip' });
    const startedAt = Date.now();
    const reply = await poll(order, 1);
    expect(await statusOf(reply)).toBe('pending');
    expect(Date.now() - startedAt).toBeGreaterThanOrEqual(900);
  });

  it('wakes when the order expires during the wait', async () => {
    await t.restart({ env: { IGEPAY_ORDER_TTL_MINUTES: '0.02' } });
    await listen();
    const order = await checkout(t.server.app, { channel: 'alipay', product: 'vip' });
    const startedAt = Date.now();
    const reply = await poll(order, 20);
    expect(await statusOf(reply)).toBe('expired');
    expect(Date.now() - startedAt).toBeLessThan(10_000);
  });

  it('holds an expired order until a late payment arrives, which it shows paid and late', async () => {
    await t.restart({ env: { IGEPAY_ORDER_TTL_MINUTES: '0.01' } });
    await listen();
    const order = await checkout(t.server.app, { channel: 'alipay', product: 'vip' });
    await new Promise((resolve) => setTimeout(resolve, 800));
    expect(await statusOf(await poll(order, 0))).toBe('expired');
    const startedAt = Date.now();
    const held = poll(order, 20);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(await postNotify(t.server.app, notificationFor(order)).then((r) => r.body)).toBe('success');
    const view = (await (await held).json()) as OrderView;
    expect(view).toMatchObject({ status: 'paid', late: true });
    expect(Date.now() - startedAt).toBeLessThan(10_000);
  });

  it('answers an expired order at once once the late wait is over', async () => {
    await t.restart({ env: { IGEPAY_ORDER_TTL_MINUTES: '0.01', IGEPAY_LATE_PAYMENT_MINUTES: '0.01' } });
    await listen();
    const order = await checkout(t.server.app, { channel: 'alipay', product: 'vip' });
    // Expired, then held through the rest of the late wait: the reply comes when it ends.
    await new Promise((resolve) => setTimeout(resolve, 700));
    const held = (await (await poll(order, 20)).json()) as OrderView;
    expect(held.status).toBe('expired');
    expect(Date.now()).toBeGreaterThanOrEqual(Date.parse(held.late_until));
    const startedAt = Date.now();
    expect(await statusOf(await poll(order, 20))).toBe('expired');
    expect(Date.now() - startedAt).toBeLessThan(5_000);
  });

  it('wakes a code other than 0000 as failed', async () => {
    const order = await checkout(t.server.app, { channel: 'wechat', product: 'vip' });
    const held = poll(order, 20);
    await new Promise((resolve) => setTimeout(resolve, 200));
    await postNotify(t.server.app, notificationFor(order, { code: '2001' }));
    expect(await statusOf(await held)).toBe('failed');
  });

  it('answers held polls when the server closes, instead of hanging', async () => {
    const order = await checkout(t.server.app, { channel: 'alipay', product: 'vip' });
    const held = poll(order, 30);
    await new Promise((resolve) => setTimeout(resolve, 200));
    const startedAt = Date.now();
    await t.server.app.close();
    const reply = await held;
    expect(reply.status).toBe(200);
    expect(await statusOf(reply)).toBe('pending');
    expect(Date.now() - startedAt).toBeLessThan(10_000);
  });

  it('wakes every one of many polls on one order', async () => {
    const order = await checkout(t.server.app, { channel: 'alipay', product: 'vip' });
    const polls = Array.from({ length: MAX_POLLS_PER_ORDER }, () => poll(order, 20).then(statusOf));
    await new Promise((resolve) => setTimeout(resolve, 300));
    await postNotify(t.server.app, notificationFor(order));
    const replies = await Promise.all(polls);
    expect(replies).toEqual(Array(MAX_POLLS_PER_ORDER).fill('paid'));
  });

  it('holds at most 8 polls on one order: the next is answered at once with the status', async () => {
    const order = await checkout(t.server.app, { channel: 'alipay', product: 'vip' });
    const held = Array.from({ length: MAX_POLLS_PER_ORDER }, () => poll(order, 20).then(statusOf));
    await new Promise((resolve) => setTimeout(resolve, 300));
    const startedAt = Date.now();
    const extra = await poll(order, 20);
    expect(extra.status).toBe(200);
    expect(await statusOf(extra)).toBe('pending');
    expect(Date.now() - startedAt).toBeLessThan(10_000);
    // Another order's buyer is held as usual.
    const other = await checkout(t.server.app, { channel: 'alipay', product: 'vip' });
    const otherPoll = poll(other, 20).then(statusOf);
    await postNotify(t.server.app, notificationFor(order));
    await postNotify(t.server.app, notificationFor(other));
    expect(await Promise.all(held)).toEqual(Array(MAX_POLLS_PER_ORDER).fill('paid'));
    expect(await otherPoll).toBe('paid');
  });

  it('answers 503 with Retry-After once half the connections are long polls', async () => {
    // 16 connections: 8 long polls at most, on any orders.
    await t.restart({ env: { IGEPAY_MAX_CONNECTIONS: '16' } });
    await listen();
    const orders = [
      await checkout(t.server.app, { channel: 'alipay', product: 'vip' }),
      await checkout(t.server.app, { channel: 'alipay', product: 'vip' }),
    ];
    const held = Array.from({ length: 8 }, (_, i) =>
      poll(orders[i % 2] as CheckoutResponse, 20).then(statusOf),
    );
    await new Promise((resolve) => setTimeout(resolve, 300));
    const busy = await fetch(
      `${base}/api/orders/${orders[0]?.order_id}?client_secret=${orders[0]?.client_secret}&wait=20`,
      { headers: { origin: 'http://shop.example.com' } },
    );
    expect(busy.status).toBe(503);
    expect(busy.headers.get('retry-after')).toBe('5');
    // The widget on the shop's page can read it.
    expect(busy.headers.get('access-control-expose-headers')).toMatch(/retry-after/);
    expect(await busy.json()).toMatchObject({ code: 5031, error: 'IGEPAY_ERR_BUSY' });
    // A read without a wait, and a checkout, still work.
    expect(await statusOf(await poll(orders[0] as CheckoutResponse, 0))).toBe('pending');
    for (const order of orders) await postNotify(t.server.app, notificationFor(order));
    expect(await Promise.all(held)).toEqual(Array(8).fill('paid'));
  });
});
