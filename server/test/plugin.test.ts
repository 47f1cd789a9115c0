import type { PaidOrder } from '@igepay/shared';
import Fastify from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import { igepayPlugin } from '../src/plugin.js';
import { notificationFor, tempDir, testConfig } from './support/harness.js';

const closers: Array<() => unknown> = [];
afterEach(async () => {
  for (const close of closers.splice(0).reverse()) await close();
});

async function merchantApp(
  options: { prefix?: string; publicUrl?: string; onPaid?: (order: PaidOrder) => void } = {},
) {
  const dir = tempDir();
  closers.push(dir.cleanup);
  const app = Fastify();
  closers.push(() => app.close());
  app.get('/', async () => ({ shop: 'my own page' }));
  await app.register(igepayPlugin, {
    config: testConfig(dir.dir, { PUBLIC_URL: options.publicUrl ?? 'http://shop.example.com/pay' }),
    prefix: options.prefix ?? '/pay',
    ...(options.onPaid && { onPaid: options.onPaid }),
    deliveryPollMs: 20,
    retry: { baseMs: 20, maxMs: 100, giveUpAfterMs: 60_000 },
  });
  await app.ready();
  return app;
}

describe('igepayPlugin (embedding in an app of your own)', () => {
  it('mounts the routes under a prefix, signs URLs there, decorates the app, and calls onPaid once', async () => {
    const paid: PaidOrder[] = [];
    const app = await merchantApp({ onPaid: (order) => void paid.push(order) });
    expect((await app.inject({ url: '/' })).json()).toEqual({ shop: 'my own page' });

    const created = await app.inject({
      method: 'POST',
      url: '/pay/api/checkout',
      payload: { channel: 'alipay', product: 'vip' },
    });
    expect(created.statusCode).toBe(201);
    const order = created.json();
    expect(order.gateway.fields.notify_url).toBe('http://shop.example.com/pay/api/igepay/notify');
    expect(order.gateway.fields.return_url).toMatch(
      /^http:\/\/shop\.example\.com\/pay\/api\/igepay\/return\?order_id=/,
    );

    for (let i = 0; i < 2; i++) {
      const notified = await app.inject({
        method: 'POST',
        url: '/pay/api/igepay/notify',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        payload: new URLSearchParams(notificationFor(order)).toString(),
      });
      expect(notified.body).toBe('success');
    }
    const deadline = Date.now() + 5000;
    while (paid.length === 0 && Date.now() < deadline)
      await new Promise((resolve) => setTimeout(resolve, 20));
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(paid).toEqual([
      expect.objectContaining({ order_id: order.order_id, price: '10.00', channel: 'alipay' }),
    ]);
    expect((await app.igepay.store.getOrder(order.order_id))?.status).toBe('paid');
    expect(app.igepay.config.publicUrl).toBe('http://shop.example.com/pay');
  });

  it('refuses options it cannot work with, saying which', async () => {
    await expect(merchantApp({ publicUrl: 'http://shop.example.com/elsewhere' })).rejects.toThrow(
      /PUBLIC_URL .* must end with the prefix "\/pay"/,
    );
    await expect(merchantApp({ prefix: 'pay/' })).rejects.toThrow(/option prefix must be a path like \/pay/);
    await expect(merchantApp({ onPaid: 'call me' as never })).rejects.toThrow(
      /option onPaid must be a function/,
    );
    // Coded like every other error of the server.
    await expect(merchantApp({ prefix: 'pay/' })).rejects.toMatchObject({
      name: 'IgepayError',
      errorName: 'IGEPAY_ERR_PLUGIN_OPTIONS',
      code: 5001,
    });
  });
});
