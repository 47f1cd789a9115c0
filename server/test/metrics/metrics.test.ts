import { afterEach, describe, expect, it } from 'vitest';
import {
  checkout,
  notificationFor,
  postNotify,
  startTestServer,
  type TestServer,
} from '../support/harness.js';
import { freePort } from '../support/nginx.js';

const TOKEN_VALUE = 'metrics-token-0123456789abcdef';
let server: TestServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

/** The value of one sample in Prometheus' text format, or undefined. */
function sample(text: string, name: string): number | undefined {
  const line = text.split('\n').find((row) => row.startsWith(`${name} `));
  return line === undefined ? undefined : Number(line.slice(name.length + 1));
}

describe('Prometheus metrics', () => {
  it('are served at /metrics for the bearer token only, and count what happened', async () => {
    const forwardPort = await freePort();
    server = await startTestServer({
      env: {
        IGEPAY_METRICS_TOKEN: TOKEN_VALUE,
        // Nothing listens there: deliveries fail and stay in the outbox.
        IGEPAY_FORWARD_URL: `http://127.0.0.1:${forwardPort}/events`,
        IGEPAY_FORWARD_SECRET: `whsec_${Buffer.alloc(32, 7).toString('base64')}`,
      },
      build: { deliveryPollMs: 50 },
    });
    const { app } = server;
    const scrape = (authorization?: string) =>
      app.inject({ url: '/metrics', headers: authorization ? { authorization } : {} });
    expect((await scrape()).statusCode).toBe(401);
    expect((await scrape()).headers['www-authenticate']).toBe('Bearer');
    expect((await scrape(`Bearer ${TOKEN_VALUE}x`)).statusCode).toBe(401);
    expect((await scrape(TOKEN_VALUE)).statusCode).toBe(401);

    const paid = await checkout(app, { channel: 'alipay', product: 'vip' });
    const pending = await checkout(app, { channel: 'alipay', product: 'mug' });
    expect(
      (await app.inject({ method: 'POST', url: '/api/checkout', payload: { channel: 'x' } })).statusCode,
    ).toBe(400);
    expect((await postNotify(app, notificationFor(paid))).body).toBe('success');
    expect((await postNotify(app, notificationFor(paid))).body).toBe('success');
    expect((await postNotify(app, { ...notificationFor(paid), sign: '0'.repeat(32) })).statusCode).toBe(403);
    expect((await postNotify(app, notificationFor(pending, { order_id: 'unknown-order' }))).body).toBe(
      'success',
    );
    const held = app.inject(`/api/orders/${pending.order_id}?client_secret=${pending.client_secret}&wait=3`);
    await new Promise((resolve) => setTimeout(resolve, 400));

    const reply = await scrape(`Bearer ${TOKEN_VALUE}`);
    expect(reply.statusCode).toBe(200);
    expect(reply.headers['content-type']).toMatch(/^text\/plain; version=0\.0\.4/);
    const text = reply.body;
    expect(sample(text, 'igepay_checkouts_total{outcome="created"}')).toBe(2);
    expect(sample(text, 'igepay_checkouts_total{outcome="refused"}')).toBe(1);
    expect(sample(text, 'igepay_notifications_total{outcome="paid"}')).toBe(1);
    expect(sample(text, 'igepay_notifications_total{outcome="duplicate"}')).toBe(1);
    expect(sample(text, 'igepay_notifications_total{outcome="rejected"}')).toBe(1);
    expect(sample(text, 'igepay_notifications_total{outcome="unapplied"}')).toBe(1);
    expect(sample(text, 'igepay_unapplied_notifications')).toBe(1);
    expect(sample(text, 'igepay_long_polls')).toBe(1);
    expect(sample(text, 'igepay_store_pending_writes')).toBe(0);
    // Two events (the payment, the unapplied notification) the app never took.
    expect(sample(text, 'igepay_outbox_pending_deliveries')).toBe(2);
    expect(sample(text, 'igepay_outbox_oldest_pending_age_seconds')).toBeGreaterThan(0);
    expect(sample(text, 'igepay_event_delivery_failures_total{sink="forward"}')).toBeGreaterThanOrEqual(1);
    expect(sample(text, 'igepay_process_cpu_seconds_total')).toBeGreaterThan(0);
    expect(sample(text, 'igepay_process_resident_memory_bytes')).toBeGreaterThan(0);
    expect(text).not.toContain(TOKEN_VALUE);
    await held;
  });

  it('are served on a port of their own, and not on the public one', async () => {
    const port = await freePort();
    server = await startTestServer({ env: { IGEPAY_METRICS_PORT: String(port) } });
    await server.app.ready();
    expect((await server.app.inject('/metrics')).statusCode).toBe(404);
    const reply = await fetch(`http://127.0.0.1:${port}/metrics`);
    expect(reply.status).toBe(200);
    expect(await reply.text()).toMatch(/^# HELP igepay_/m);
    expect((await fetch(`http://127.0.0.1:${port}/api/checkout`)).status).toBe(404);
  });

  it('are not served at all unless asked for', async () => {
    server = await startTestServer();
    expect((await server.app.inject('/metrics')).statusCode).toBe(404);
  });
});
