import { readFileSync, writeFileSync } from 'node:fs';
import { request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { join } from 'node:path';
import type { CheckoutResponse } from '@igepay/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { notificationFor, startTestServer, type TestServer } from '../support/harness.js';
import { deploySite, freePort, type Nginx, startNginx } from '../support/nginx.js';
import { makeTestTls, type TestTls } from '../support/tls.js';

const WIDGET = '/* the widget */ customElements.define("igepay-button", class extends HTMLElement {});';

interface Reply {
  readonly status: number;
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
}

let tls: TestTls;
let server: TestServer;
let serverPort: number;
let nginx: Nginx;

/** One request from `from` (a loopback address of its own: a buyer) to `port`, over TLS or not. */
function send(
  port: number,
  path: string,
  options: { from: string; tls: boolean; method?: string; body?: string; headers?: Record<string, string> },
): Promise<Reply> {
  const make = options.tls ? httpsRequest : httpRequest;
  return new Promise((resolve, reject) => {
    const req = make(
      {
        host: '127.0.0.1',
        port,
        path,
        method: options.method ?? 'GET',
        localAddress: options.from,
        servername: 'shop.example.com',
        ca: options.tls ? readFileSync(tls.caFile) : undefined,
        agent: false,
        headers: { host: 'shop.example.com', ...options.headers },
      },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (chunk) => {
          body += chunk;
        });
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
      },
    );
    req.on('error', reject);
    req.end(options.body);
  });
}

/** Through nginx, as a buyer at `from`. */
const viaProxy = (
  path: string,
  from: string,
  options: Omit<Parameters<typeof send>[2], 'from' | 'tls'> = {},
) => send(nginx.port, path, { ...options, from, tls: true });

const checkoutVia = (from: string, headers: Record<string, string> = {}) =>
  viaProxy('/api/checkout', from, {
    method: 'POST',
    body: JSON.stringify({ product: 'vip', channel: 'alipay' }),
    headers: { 'content-type': 'application/json', ...headers },
  });

beforeAll(async () => {
  tls = makeTestTls();
  serverPort = await freePort();
  const dir = (await import('../support/harness.js')).tempDir();
  const widgetFile = join(dir.dir, 'widget.js');
  writeFileSync(widgetFile, WIDGET);
  server = await startTestServer({
    dir: dir.dir,
    widgetFile,
    env: { IGEPAY_TRUST_PROXY: '127.0.0.1', IGEPAY_RATE_LIMIT: '3', PUBLIC_URL: 'https://shop.example.com' },
  });
  await server.app.listen({ host: '127.0.0.1', port: serverPort });
  const port = await freePort();
  // The docs' configuration, with this machine's port, certificate and server.
  nginx = await startNginx(deploySite({ port, serverPort, tls }), port);
}, 30_000);

afterAll(async () => {
  await nginx?.stop();
  await server?.close();
  tls?.cleanup();
});

describe('behind nginx, with IGEPAY_TRUST_PROXY naming it', () => {
  it('gives two buyers separate rate-limit buckets, which a forged X-Forwarded-For does not change', async () => {
    for (let i = 0; i < 3; i++) expect((await checkoutVia('127.0.0.2')).status).toBe(201);
    const limited = await checkoutVia('127.0.0.2');
    expect(limited.status).toBe(429);
    // The buyer claims another address: nginx appends the real one, which the server believes.
    expect((await checkoutVia('127.0.0.2', { 'x-forwarded-for': '127.0.0.9' })).status).toBe(429);
    expect((await checkoutVia('127.0.0.2', { 'x-forwarded-for': '127.0.0.1' })).status).toBe(429);
    // Another buyer is not locked out.
    expect((await checkoutVia('127.0.0.3')).status).toBe(201);
    // The proxy is trusted: nothing to warn of.
    expect(server.logs.filter((entry) => entry.event === 'proxy.untrusted')).toEqual([]);

    // The refusal's log line names the buyer and the request id nginx made, which the
    // reply and the access log carry too.
    const requestId = limited.headers['x-request-id'];
    expect(requestId).toMatch(/^[0-9a-f]{32}$/);
    const line = server.logs.find((entry) => entry.req_id === requestId);
    expect(line).toMatchObject({ client: '127.0.0.2', error: 'IGEPAY_ERR_RATE_LIMITED' });
    expect(
      nginx.accessLog().some((entry) => entry.startsWith('127.0.0.2 ') && entry.endsWith(` ${requestId}`)),
    ).toBe(true);
  });

  it('ignores X-Forwarded-For and X-Request-Id from a client that is not the proxy', async () => {
    const direct = (headers: Record<string, string>) =>
      send(serverPort, '/api/checkout', {
        from: '127.0.0.4',
        tls: false,
        method: 'POST',
        body: JSON.stringify({ product: 'vip', channel: 'alipay' }),
        headers: { 'content-type': 'application/json', ...headers },
      });
    // Each claims a fresh address; all count against the one they came from.
    const statuses = [];
    for (let i = 0; i < 4; i++) {
      statuses.push(
        (await direct({ 'x-forwarded-for': `198.51.100.${i}`, 'x-request-id': 'chosen-by-client' })).status,
      );
    }
    expect(statuses).toEqual([201, 201, 201, 429]);
    const refused = server.logs.filter((entry) => entry.error === 'IGEPAY_ERR_RATE_LIMITED').at(-1);
    expect(refused?.client).toBe('127.0.0.4');
    expect(refused?.req_id).not.toBe('chosen-by-client');
  });

  it("keys an IPv6 buyer's bucket by their /64", async () => {
    // As the trusted proxy (127.0.0.1) says, each request from another address of one /64.
    const asProxy = (buyer: string) =>
      send(serverPort, '/api/checkout', {
        from: '127.0.0.1',
        tls: false,
        method: 'POST',
        body: JSON.stringify({ product: 'vip', channel: 'alipay' }),
        headers: { 'content-type': 'application/json', 'x-forwarded-for': buyer },
      });
    const statuses = [];
    for (const host of ['1', '2', 'ffff:ffff:ffff'])
      statuses.push((await asProxy(`2001:db8:7:7::${host}`)).status);
    statuses.push((await asProxy('2001:db8:7:7:abcd::1')).status);
    expect(statuses).toEqual([201, 201, 201, 429]);
    // The neighbouring /64 is someone else.
    expect((await asProxy('2001:db8:7:8::1')).status).toBe(201);
  });

  it('answers a long poll through the proxy the moment the payment lands', async () => {
    const created = await checkoutVia('127.0.0.5');
    expect(created.status).toBe(201);
    const order = JSON.parse(created.body) as CheckoutResponse;
    const statusPath = `/api/orders/${order.order_id}?client_secret=${encodeURIComponent(order.client_secret)}`;
    const held = viaProxy(`${statusPath}&wait=25`, '127.0.0.5');
    await new Promise((resolve) => setTimeout(resolve, 300));
    const startedAt = performance.now();
    const notified = await viaProxy('/api/igepay/notify', '127.0.0.6', {
      method: 'POST',
      body: new URLSearchParams(notificationFor(order)).toString(),
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    expect(notified).toMatchObject({ status: 200, body: 'success' });
    const status = await held;
    expect(status.status).toBe(200);
    expect(JSON.parse(status.body)).toMatchObject({ order_id: order.order_id, status: 'paid' });
    // Generous: well under the 25 s wait, so it was the payment that answered it.
    expect(performance.now() - startedAt).toBeLessThan(10_000);
    // The access log has the path, never the order's client secret.
    const log = nginx.accessLog().join('\n');
    expect(log).toContain(`/api/orders/${order.order_id}`);
    expect(log).not.toContain(order.client_secret);
    expect(log).not.toContain(encodeURIComponent(order.client_secret));
  });

  it('serves /widget.js through the proxy', async () => {
    const widget = await viaProxy('/widget.js', '127.0.0.7');
    expect(widget.status).toBe(200);
    expect(widget.body).toBe(WIDGET);
    expect(widget.headers['content-type']).toMatch(/javascript/);
  });
});
