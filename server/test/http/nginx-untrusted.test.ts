/**
 * Behind nginx with no IGEPAY_TRUST_PROXY (the default): every buyer reaches the server from
 * nginx's one address. One client holding hundreds of long polls must not take the shop from
 * everyone else, and the server says, once, what to set.
 */

import { readFileSync } from 'node:fs';
import type { ClientRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { CheckoutResponse } from '@igepay/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_POLLS_PER_CLIENT } from '../../src/routes/orders.js';
import { checkout, notificationFor, startTestServer, type TestServer, tempDir } from '../support/harness.js';
import { deploySite, freePort, type Nginx, startNginx } from '../support/nginx.js';
import { makeTestTls, type TestTls } from '../support/tls.js';

let tls: TestTls;
let server: TestServer;
let nginx: Nginx;

/** A request through nginx from the loopback address `from`, with its reply's status and body. */
function viaProxy(
  path: string,
  from: string,
  options: { method?: string; body?: string; type?: string } = {},
): { request: ClientRequest; reply: Promise<{ status: number; body: string }> } {
  let request!: ClientRequest;
  const reply = new Promise<{ status: number; body: string }>((resolve, reject) => {
    request = httpsRequest(
      {
        host: '127.0.0.1',
        port: nginx.port,
        path,
        method: options.method ?? 'GET',
        localAddress: from,
        servername: 'shop.example.com',
        ca: readFileSync(tls.caFile),
        agent: false,
        headers: { host: 'shop.example.com', ...(options.type && { 'content-type': options.type }) },
      },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (chunk) => {
          body += chunk;
        });
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      },
    );
    request.on('error', reject);
    request.end(options.body);
  });
  return { request, reply };
}

beforeAll(async () => {
  tls = makeTestTls();
  const serverPort = await freePort();
  server = await startTestServer({ dir: tempDir().dir, env: { PUBLIC_URL: 'https://shop.example.com' } });
  await server.app.listen({ host: '127.0.0.1', port: serverPort });
  const port = await freePort();
  nginx = await startNginx(deploySite({ port, serverPort, tls }), port);
}, 30_000);

afterAll(async () => {
  await nginx?.stop();
  await server?.close();
  tls?.cleanup();
});

describe('behind nginx, without IGEPAY_TRUST_PROXY', () => {
  it("leaves another buyer's checkout and igepay's notification answered while one client holds 500 long polls", async () => {
    // The attacker's own orders (8 long polls each are held at most), made beforehand.
    const orders: CheckoutResponse[] = [];
    for (let i = 0; i < 63; i += 1)
      orders.push(await checkout(server.app, { channel: 'wechat', product: 'vip' }));
    const polls = Array.from({ length: 500 }, (_, i) => {
      const order = orders[i % orders.length] as CheckoutResponse;
      const path = `/api/orders/${order.order_id}?client_secret=${order.client_secret}&wait=25`;
      const poll = viaProxy(path, '127.0.0.2');
      poll.reply.catch(() => undefined);
      return poll;
    });
    try {
      // Every poll has reached the server: held, or answered at once past the cap.
      const answered = await Promise.race([
        Promise.all(polls.slice(MAX_POLLS_PER_CLIENT + 64).map((poll) => poll.reply)),
        new Promise<'timeout'>((resolve) => setTimeout(() => resolve('timeout'), 20_000)),
      ]);
      expect(answered).not.toBe('timeout');
      if (answered !== 'timeout') expect(answered.every((reply) => reply.status === 200)).toBe(true);

      // Meanwhile another buyer pays: the checkout and igepay's notification are answered.
      const made = await viaProxy('/api/checkout', '127.0.0.3', {
        method: 'POST',
        type: 'application/json',
        body: JSON.stringify({ product: 'vip', channel: 'alipay' }),
      }).reply;
      expect(made.status).toBe(201);
      const order = JSON.parse(made.body) as CheckoutResponse;
      const notified = await viaProxy('/api/igepay/notify', '127.0.0.4', {
        method: 'POST',
        type: 'application/x-www-form-urlencoded',
        body: new URLSearchParams(notificationFor(order)).toString(),
      }).reply;
      expect(notified).toEqual({ status: 200, body: 'success' });
      expect((await server.app.igepay.store.getOrder(order.order_id))?.status).toBe('paid');
    } finally {
      for (const poll of polls) poll.request.destroy();
    }
    // The server said once what to set, naming the proxy.
    const warnings = server.logs.filter((line) => line.event === 'proxy.untrusted');
    expect(warnings).toHaveLength(1);
    expect(String(warnings[0]?.msg)).toContain('IGEPAY_TRUST_PROXY=127.0.0.1');
  }, 60_000);
});
