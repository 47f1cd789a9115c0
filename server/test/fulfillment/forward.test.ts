import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { PaidOrder } from '@igepay/shared';
import { verifyWebhook } from '@igepay/shared/webhook';
import { Webhook } from 'standardwebhooks';
import { afterEach, describe, expect, it } from 'vitest';
import {
  checkout,
  notificationFor,
  postNotify,
  recorded,
  startTestServer,
  type TestServer,
  tempDir,
} from '../support/harness.js';

const SECRET = 'whsec_Zm9yd2FyZC1zZWNyZXQtZm9yLXRlc3RzLTAxMjM0NTY=';
const FAST = { retry: { baseMs: 40, maxMs: 200, giveUpAfterMs: 60_000 }, deliveryPollMs: 30 };

const closers: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  for (const close of closers.splice(0).reverse()) await close();
});

interface Received {
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
}

/** The merchant's app on loopback: answers with `statuses` in turn (the last one repeats). */
async function merchantApp(statuses: number[] = [200]) {
  const received: Received[] = [];
  const server = createServer((request, response) => {
    let body = '';
    request.setEncoding('utf8');
    request.on('data', (chunk) => {
      body += chunk;
    });
    request.on('end', () => {
      received.push({ headers: request.headers, body });
      response.writeHead(statuses[Math.min(received.length - 1, statuses.length - 1)] ?? 200).end('ok');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  closers.push(() => new Promise((resolve) => server.close(resolve)));
  return { url: `http://127.0.0.1:${port}/igepay-events`, received, port };
}

async function until(check: () => boolean | Promise<boolean>, ms = 5000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

async function server(url: string, options: { dir?: string; build?: object } = {}): Promise<TestServer> {
  const started = await startTestServer({
    ...(options.dir && { dir: options.dir }),
    env: { IGEPAY_FORWARD_URL: url, IGEPAY_FORWARD_SECRET: SECRET },
    build: { ...FAST, ...options.build },
  });
  await started.app.ready();
  closers.push(() => started.close());
  return started;
}

describe('forwarding events to the merchant app', () => {
  it('delivers each paid order once, signed, with a stable event id, whatever igepay repeats', async () => {
    const app = await merchantApp();
    const { app: fastify } = await server(app.url);
    const order = await checkout(fastify, { channel: 'alipay', product: 'mug', order_uid: 'alice' });
    for (let i = 0; i < 3; i++)
      expect((await postNotify(fastify, notificationFor(order))).body).toBe('success');
    await until(() => app.received.length === 1);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(app.received).toHaveLength(1);

    const [delivery] = app.received;
    const event = verifyWebhook(delivery?.body ?? '', delivery?.headers ?? {}, SECRET);
    expect(event).toMatchObject({
      id: `evt_paid_${order.order_id}`,
      type: 'order.paid',
      data: {
        order_id: order.order_id,
        price: '12.30',
        channel: 'alipay',
        product: 'mug',
        order_uid: 'alice',
        late: false,
      },
    });
    expect(delivery?.headers['idempotency-key']).toBe(event.id);
    expect(delivery?.headers['webhook-id']).toBe(event.id);
    expect(event).toMatchObject({ livemode: true });
    // What any stack's Standard Webhooks library accepts: the specification's own JavaScript one.
    const headers = Object.fromEntries(
      Object.entries(delivery?.headers ?? {}).map(([name, value]) => [name, String(value)]),
    );
    expect(new Webhook(SECRET).verify(delivery?.body ?? '', headers)).toEqual(
      JSON.parse(delivery?.body ?? ''),
    );
    expect(delivery?.headers['content-type']).toBe('application/json');
    // The secret signs; it is never sent, and never logged.
    expect(JSON.stringify(delivery?.headers)).not.toContain(SECRET);
    for (const line of recorded.logs) expect(line).not.toContain(SECRET);
  });

  it('resends the same event until the app answers 2xx, then stops', async () => {
    const app = await merchantApp([503, 500, 200]);
    const started = await server(app.url);
    const order = await checkout(started.app, { channel: 'wechat', product: 'vip' });
    await postNotify(started.app, notificationFor(order));
    await until(() => app.received.length === 3);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(app.received).toHaveLength(3);
    expect(new Set(app.received.map((r) => r.body)).size).toBe(1);
    expect(new Set(app.received.map((r) => r.headers['idempotency-key'])).size).toBe(1);
    const logged = started.logs.filter((line) => String(line.event).startsWith('event.'));
    expect(logged.map((line) => line.event)).toEqual(['event.retry', 'event.retry', 'event.delivered']);
  });

  it('delivers after a restart what was paid while the app was unreachable', async () => {
    const dir = tempDir();
    closers.push(async () => dir.cleanup());
    const down = await merchantApp([200]);
    const unreachable = down.url.replace(`:${down.port}/`, ':1/');
    const first = await server(unreachable, { dir: dir.dir });
    const order = await checkout(first.app, { channel: 'wechat', product: 'vip' });
    await postNotify(first.app, notificationFor(order));
    await until(() => first.logs.some((line) => line.event === 'event.retry'));
    await first.close();

    const app = await merchantApp([200]);
    await server(app.url, { dir: dir.dir });
    await until(() => app.received.length === 1);
    expect(JSON.parse(app.received[0]?.body ?? '{}')).toMatchObject({ id: `evt_paid_${order.order_id}` });
  });

  it('announces a validly signed notification it could not apply, as its own event type', async () => {
    const app = await merchantApp();
    const { app: fastify } = await server(app.url);
    const order = await checkout(fastify, { channel: 'wechat', product: 'vip' });
    await postNotify(fastify, notificationFor(order, { price: '99.00' }));
    await until(() => app.received.length === 1);
    expect(JSON.parse(app.received[0]?.body ?? '{}')).toMatchObject({
      type: 'notification.unapplied',
      data: { reason: 'price-mismatch', order_id: order.order_id, price: '99.00' },
    });
  });
});

describe('onPaid (an app embedding the server)', () => {
  it('is called once the payment is durable; a throw is retried, never lost', async () => {
    const calls: Array<{ order: PaidOrder; id: string }> = [];
    const started = await startTestServer({
      build: {
        ...FAST,
        onPaid: (order, event) => {
          calls.push({ order, id: event.id });
          if (calls.length < 3) throw new Error('the app database is busy');
        },
      },
    });
    closers.push(() => started.close());
    await started.app.ready();
    const order = await checkout(started.app, { channel: 'alipay', product: 'vip' });
    await postNotify(started.app, notificationFor(order));
    await until(() => calls.length === 3);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(calls).toHaveLength(3);
    expect(new Set(calls.map((call) => call.id))).toEqual(new Set([`evt_paid_${order.order_id}`]));
    expect(calls[0]?.order).toMatchObject({ order_id: order.order_id, price: '10.00' });
    const retries = started.logs.filter((line) => line.event === 'event.retry');
    expect(retries.map((line) => line.error)).toEqual([
      'the app database is busy',
      'the app database is busy',
    ]);
  });
});
