import { request as httpRequest } from 'node:http';
import type { CheckoutResponse } from '@igepay/shared';
import { describe, expect, it } from 'vitest';
import { REFUSALS_TRACED_PER_CLIENT, RefusalBudget } from '../../src/notifications/refusal-budget.js';
import {
  checkout,
  getOrder,
  notificationFor,
  postNotify,
  sqlitePath,
  TOKEN,
  useTestServer,
} from '../support/harness.js';

const t = useTestServer();

const statusOf = async (order: CheckoutResponse) =>
  (await getOrder(t.server.app, order)).json().status as string;
// Read the store through a second connection to the same file: what is on disk, not in memory.
async function storeUnapplied() {
  const { SqliteStore } = await import('../../src/store/sqlite/store.js');
  const store = await SqliteStore.open({ path: sqlitePath(t.server.config) });
  try {
    return await store.listUnapplied();
  } finally {
    await store.close();
  }
}
async function storedOrder(orderId: string) {
  const { SqliteStore } = await import('../../src/store/sqlite/store.js');
  const store = await SqliteStore.open({ path: sqlitePath(t.server.config) });
  try {
    return await store.getOrder(orderId);
  } finally {
    await store.close();
  }
}

describe('POST /api/igepay/notify: a valid payment', () => {
  it('answers exactly "success" and marks the order paid, on disk, with pay_num and transaction_id', async () => {
    const order = await checkout(t.server.app, { channel: 'alipay', product: 'vip' });
    const notification = notificationFor(order);
    const response = await postNotify(t.server.app, notification);
    expect(response.statusCode).toBe(200);
    expect(response.body).toBe('success');
    expect(response.headers['content-type']).toMatch(/^text\/plain/);

    const stored = await storedOrder(order.order_id);
    expect(stored).toMatchObject({
      status: 'paid',
      payNum: notification.pay_num,
      transactionId: notification.transaction_id,
      late: false,
    });
    expect(await statusOf(order)).toBe('paid');
  });

  it('accepts a JSON body too', async () => {
    const order = await checkout(t.server.app, { channel: 'wechat', price: '1.00' });
    const response = await t.server.app.inject({
      method: 'POST',
      url: '/api/igepay/notify',
      payload: notificationFor(order),
    });
    expect(response.body).toBe('success');
    expect(await statusOf(order)).toBe('paid');
  });

  it('treats a price echoed as 12.3 as the 12.30 it was sent as (sign over the raw string)', async () => {
    const order = await checkout(t.server.app, { channel: 'alipay', product: 'mug' });
    expect(order.gateway.fields.price).toBe('12.30');
    const response = await postNotify(t.server.app, notificationFor(order, { price: '12.3' }));
    expect(response.body).toBe('success');
    expect(await statusOf(order)).toBe('paid');
    expect(await storeUnapplied()).toEqual([]);
  });

  it('marks a payment for an expired order paid, flagged late: the money is real', async () => {
    const order = await checkout(t.server.app, { channel: 'alipay', product: 'vip' });
    t.server.advance(31 * 60_000);
    expect(await statusOf(order)).toBe('expired');
    const response = await postNotify(t.server.app, notificationFor(order));
    expect(response.body).toBe('success');
    const view = (await getOrder(t.server.app, order)).json();
    expect(view).toMatchObject({ status: 'paid', late: true });
    expect(t.server.logs.some((line) => line.event === 'order.paid' && line.late === true)).toBe(true);
  });

  it('also marks an order paid after the expiry sweeper has written it expired', async () => {
    await t.restart({ env: { IGEPAY_ORDER_TTL_MINUTES: '0.001' }, expirySweepMs: 20 });
    const order = await checkout(t.server.app, { channel: 'alipay', product: 'vip' });
    await expect
      .poll(async () => (await storedOrder(order.order_id))?.status, { timeout: 5000 })
      .toBe('expired');
    expect((await postNotify(t.server.app, notificationFor(order))).body).toBe('success');
    expect(await storedOrder(order.order_id)).toMatchObject({ status: 'paid', late: true });
  });
});

describe('duplicates', () => {
  it('answers "success" to every resend and changes nothing', async () => {
    const order = await checkout(t.server.app, { channel: 'alipay', product: 'vip' });
    const notification = notificationFor(order);
    expect((await postNotify(t.server.app, notification)).body).toBe('success');
    const first = await storedOrder(order.order_id);
    t.server.advance(60_000);
    for (let i = 0; i < 3; i++) expect((await postNotify(t.server.app, notification)).body).toBe('success');
    // A resend with the short price spelling is the same payment too.
    expect((await postNotify(t.server.app, notificationFor(order, { price: '10' }))).body).toBe('success');
    expect(await storedOrder(order.order_id)).toEqual(first);
    expect(await storeUnapplied()).toEqual([]);
    expect(t.server.logs.filter((line) => line.event === 'order.paid')).toHaveLength(1);
  });

  it('marks the order paid exactly once when the same notification arrives many times at once', async () => {
    const order = await checkout(t.server.app, { channel: 'wechat', product: 'vip' });
    const notification = notificationFor(order);
    const replies = await Promise.all(
      Array.from({ length: 25 }, () => postNotify(t.server.app, notification)),
    );
    expect(replies.map((reply) => reply.body)).toEqual(Array(25).fill('success'));
    expect(t.server.logs.filter((line) => line.event === 'order.paid')).toHaveLength(1);
    expect(await statusOf(order)).toBe('paid');
  });

  it('keeps a second, different payment of a paid order for reconciliation', async () => {
    const order = await checkout(t.server.app, { channel: 'alipay', product: 'vip' });
    await postNotify(t.server.app, notificationFor(order));
    const second = notificationFor(order, { pay_num: 'ANOTHER-PAYMENT' });
    expect((await postNotify(t.server.app, second)).body).toBe('success');
    expect(await storeUnapplied()).toMatchObject([
      { reason: 'already-paid-by-other-payment', orderId: order.order_id, payNum: 'ANOTHER-PAYMENT' },
    ]);
    expect((await storedOrder(order.order_id))?.payNum).toBe(notificationFor(order).pay_num);
  });
});

describe('not validly signed: 4xx "fail", nothing stored', () => {
  it('refuses a wrong sign and a sign made with another token', async () => {
    const order = await checkout(t.server.app, { channel: 'alipay', product: 'vip' });
    const forged = notificationFor(order, {}, `${TOKEN}-not-ours`);
    for (const fields of [{ ...notificationFor(order), sign: '0'.repeat(32) }, forged]) {
      const response = await postNotify(t.server.app, fields);
      expect(response.statusCode).toBe(403);
      expect(response.body).toBe('fail');
    }
    expect(await statusOf(order)).toBe('pending');
    expect(await storeUnapplied()).toEqual([]);
  });

  it('refuses a sign over a different price spelling than the one sent', async () => {
    const order = await checkout(t.server.app, { channel: 'alipay', product: 'vip' });
    const signedFor10 = notificationFor(order, { price: '10' });
    const response = await postNotify(t.server.app, { ...signedFor10, price: '10.00' });
    expect(response.statusCode).toBe(403);
    expect(await statusOf(order)).toBe('pending');
  });

  it.each([
    ['no sign', { sign: undefined }],
    ['no order_id', { order_id: undefined }],
    ['no price', { price: undefined }],
  ])('refuses a notification with %s as malformed', async (_name, change) => {
    const order = await checkout(t.server.app, { channel: 'alipay', product: 'vip' });
    const fields: Record<string, string> = {};
    for (const [name, value] of Object.entries({ ...notificationFor(order), ...change })) {
      if (value !== undefined) fields[name] = value;
    }
    const response = await postNotify(t.server.app, fields);
    expect(response.statusCode).toBe(400);
    expect(response.body).toBe('fail');
    expect(await statusOf(order)).toBe('pending');
  });

  it('refuses repeated signed fields, broken JSON and huge bodies with "fail"', async () => {
    const order = await checkout(t.server.app, { channel: 'alipay', product: 'vip' });
    const valid = new URLSearchParams(notificationFor(order)).toString();
    const attempts = [
      { 'content-type': 'application/x-www-form-urlencoded', payload: `${valid}&order_id=${order.order_id}` },
      { 'content-type': 'application/json', payload: '{"order_id":' },
      { 'content-type': 'application/json', payload: '[1,2]' },
      { 'content-type': 'application/x-www-form-urlencoded', payload: `${valid}&pad=${'x'.repeat(20_000)}` },
    ];
    for (const { payload, ...headers } of attempts) {
      const response = await t.server.app.inject({
        method: 'POST',
        url: '/api/igepay/notify',
        headers,
        payload,
      });
      expect(response.statusCode, payload.slice(0, 60)).toBeGreaterThanOrEqual(400);
      expect(response.statusCode).toBeLessThan(500);
      expect(response.body).toBe('fail');
    }
    expect(await statusOf(order)).toBe('pending');
    expect(await storeUnapplied()).toEqual([]);
  });

  it('logs the refusal without the token, naming the client and the request', async () => {
    const order = await checkout(t.server.app, { channel: 'alipay', product: 'vip' });
    const response = await postNotify(t.server.app, { ...notificationFor(order), sign: 'f'.repeat(32) });
    expect(t.server.logs).toContainEqual(
      expect.objectContaining({
        event: 'notify.rejected',
        reason: 'bad-sign',
        order_id: order.order_id,
        client: '127.0.0.1',
        req_id: response.headers['x-request-id'],
      }),
    );
  });

  it("answers every refusal of a flood, but logs and keeps only its address's budget of them, then says how many more", async () => {
    const order = await checkout(t.server.app, { channel: 'alipay', product: 'vip' });
    const replies = await Promise.all(
      Array.from({ length: 100 }, (_, i) =>
        postNotify(t.server.app, { ...notificationFor(order), sign: i.toString(16).padStart(32, '0') }),
      ),
    );
    expect(replies.map((reply) => `${reply.statusCode} ${reply.body}`)).toEqual(Array(100).fill('403 fail'));
    const logged = t.server.logs.filter((line) => line.event === 'notify.rejected');
    expect(logged).toHaveLength(REFUSALS_TRACED_PER_CLIENT);
    const { SqliteStore } = await import('../../src/store/sqlite/store.js');
    const store = await SqliteStore.open({ path: sqlitePath(t.server.config) });
    try {
      expect(await store.listRejected(1000)).toHaveLength(REFUSALS_TRACED_PER_CLIENT);
    } finally {
      await store.close();
    }
    // The rest are counted, and told once (here when the server closes, before the window ends).
    await t.server.app.close();
    expect(t.server.logs).toContainEqual(
      expect.objectContaining({ event: 'notify.rejected-untraced', count: 100 - REFUSALS_TRACED_PER_CLIENT }),
    );
    expect(await statusOf(order).catch(() => 'closed')).not.toBe('paid');
  });
});

describe("a forger's flood, over HTTP", () => {
  it("does not hide a real notification refused meanwhile from igepay's own address", async () => {
    const base = await t.server.app.listen({ port: 0, host: '127.0.0.1' });
    const { port } = new URL(base);
    const post = (from: string, fields: Record<string, string>) =>
      new Promise<number>((resolve, reject) => {
        const body = new URLSearchParams(fields).toString();
        const req = httpRequest(
          {
            host: '127.0.0.1',
            port,
            path: '/api/igepay/notify',
            method: 'POST',
            localAddress: from,
            agent: false,
            headers: { 'content-type': 'application/x-www-form-urlencoded' },
          },
          (res) => {
            res.resume();
            res.on('end', () => resolve(res.statusCode ?? 0));
          },
        );
        req.on('error', reject);
        req.end(body);
      });
    const order = await checkout(t.server.app, { channel: 'alipay', product: 'vip' });
    // Three forgeries a second for ten seconds, at once, from one address.
    const forged = await Promise.all(
      Array.from({ length: 30 }, (_, i) =>
        post('127.0.0.2', { ...notificationFor(order), sign: i.toString(16).padStart(32, '0') }),
      ),
    );
    expect(forged.every((status) => status === 403)).toBe(true);
    // igepay's real notification, its sign in capitals (refused: the sign is lower-case hex).
    const real = notificationFor(order);
    expect(await post('127.0.0.3', { ...real, sign: String(real.sign).toUpperCase() })).toBe(403);
    const rejected = await t.server.app.igepay.store.listRejected(1000);
    expect(rejected.filter((r) => r.clientAddress === '127.0.0.2')).toHaveLength(REFUSALS_TRACED_PER_CLIENT);
    expect(rejected.filter((r) => r.clientAddress === '127.0.0.3')).toMatchObject([
      { reason: 'bad-sign', fields: { order_id: order.order_id } },
    ]);
  });
});

describe('validly signed but not applicable: kept for reconciliation, never paid', () => {
  it('keeps a notification for a different amount', async () => {
    const order = await checkout(t.server.app, { channel: 'alipay', product: 'vip' });
    const response = await postNotify(t.server.app, notificationFor(order, { price: '0.01' }));
    expect(response.body).toBe('success');
    expect(await statusOf(order)).toBe('pending');
    expect(await storeUnapplied()).toMatchObject([{ reason: 'price-mismatch', price: '0.01' }]);
  });

  it('keeps a notification with an unparseable amount', async () => {
    const order = await checkout(t.server.app, { channel: 'alipay', product: 'vip' });
    expect((await postNotify(t.server.app, notificationFor(order, { price: '1e1' }))).body).toBe('success');
    expect(await statusOf(order)).toBe('pending');
    expect(await storeUnapplied()).toMatchObject([{ reason: 'price-mismatch', price: '1e1' }]);
  });

  it('keeps a notification for an order we never made', async () => {
    const order = await checkout(t.server.app, { channel: 'alipay', product: 'vip' });
    const response = await postNotify(t.server.app, notificationFor(order, { order_id: '201710192541' }));
    expect(response.body).toBe('success');
    expect(await storeUnapplied()).toMatchObject([{ reason: 'unknown-order', orderId: '201710192541' }]);
    expect(await statusOf(order)).toBe('pending');
  });

  it('marks the order failed on a code other than 0000, and keeps the notification', async () => {
    const order = await checkout(t.server.app, { channel: 'wechat', product: 'vip' });
    const response = await postNotify(t.server.app, notificationFor(order, { code: '1001' }));
    expect(response.body).toBe('success');
    expect(await statusOf(order)).toBe('failed');
    // Kept as the order's story, dealt with: a failed payment is nobody's task.
    expect(await storeUnapplied()).toMatchObject([
      {
        reason: 'code-not-success',
        code: '1001',
        resolvedNote: 'the payment failed at igepay (code 1001); the order is failed',
      },
    ]);
    expect((await t.server.app.igepay.store.outboxStats()).unappliedNotifications).toBe(0);
    // A later real payment still counts.
    expect((await postNotify(t.server.app, notificationFor(order))).body).toBe('success');
    expect((await getOrder(t.server.app, order)).json()).toMatchObject({ status: 'paid', late: true });
    // A failure said of an order paid already is a person's to look at.
    expect((await postNotify(t.server.app, notificationFor(order, { code: '2001' }))).body).toBe('success');
    expect((await storeUnapplied()).at(-1)).toMatchObject({ code: '2001', resolvedAt: null });
  });

  it('keeps a validly signed notification that lacks pay_num', async () => {
    const order = await checkout(t.server.app, { channel: 'wechat', product: 'vip' });
    const response = await postNotify(t.server.app, notificationFor(order, { pay_num: undefined }));
    expect(response.body).toBe('success');
    expect(await statusOf(order)).toBe('pending');
    expect(await storeUnapplied()).toMatchObject([{ reason: 'missing-fields' }]);
  });

  it('keeps a repeated unapplicable notification once', async () => {
    const order = await checkout(t.server.app, { channel: 'wechat', product: 'vip' });
    const notification = notificationFor(order, { price: '99.00' });
    for (let i = 0; i < 3; i++) expect((await postNotify(t.server.app, notification)).body).toBe('success');
    expect(await storeUnapplied()).toHaveLength(1);
    expect(
      t.server.logs.filter((line) => line.event === 'notify.unapplied' && line.level === 40),
    ).toHaveLength(3);
  });
});

describe('RefusalBudget', () => {
  it('traces a budget per window and reports the rest when the window ends', async () => {
    const reports: number[] = [];
    const budget = new RefusalBudget((count) => reports.push(count), 3, 200, 2);
    // Two from each address, three in all.
    const taken = ['a', 'a', 'a', 'b', 'c'].map((client) => budget.take(client));
    expect(taken).toEqual([true, true, false, true, false]);
    expect(reports).toEqual([]);
    await new Promise((resolve) => setTimeout(resolve, 400));
    expect(reports).toEqual([2]);
    // A new window, a new budget; nothing untold, nothing reported.
    expect(budget.take('a')).toBe(true);
    budget.close();
    expect(reports).toEqual([2]);
  });
});
