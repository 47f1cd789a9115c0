import type { AddressInfo } from 'node:net';
import express from 'express';
import { Hono } from 'hono';
import { Webhook } from 'standardwebhooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyWebhook, WebhookVerificationError, webhookHeaders } from '../src/index.js';
import { verifyWebhookAsync } from '../src/web.js';

// How merchants' apps receive the events, each as its framework documents a raw body.
const SECRET = 'whsec_6kK1m3Xq8bq0Zf8oZb2k2nQe0q3tQ5b3pG8vC1w4yHk=';
const ID = 'evt_paid_o1';
const BODY = `{"id":"${ID}","type":"order.paid","created":1795661859,"livemode":true,"data":{"order_id":"o1","price":"12.30"}}`;
const fresh = () => webhookHeaders(ID, Math.floor(Date.now() / 1000), BODY, SECRET);
const forged = () => ({ ...fresh(), 'webhook-signature': `v1,${'A'.repeat(44)}` });

describe('Express, with express.raw (a real server on loopback)', () => {
  let url: string;
  let server: ReturnType<ReturnType<typeof express>['listen']>;
  beforeAll(async () => {
    const app = express();
    app.post('/hooks', express.raw({ type: 'application/json' }), (request, response) => {
      try {
        const event = verifyWebhook(request.body as Buffer, request.headers, SECRET);
        // The published Standard Webhooks library agrees on the same request.
        new Webhook(SECRET).verify(request.body as Buffer, request.headers as Record<string, string>);
        response.json({ received: event.id, type: event.type });
      } catch (error) {
        response.status(error instanceof WebhookVerificationError ? 400 : 500).json({ error: String(error) });
      }
    });
    await new Promise<void>((resolve) => {
      server = app.listen(0, '127.0.0.1', () => resolve());
    });
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks`;
  });
  afterAll(() => new Promise((resolve) => server.close(resolve)));

  it('takes a signed event, and refuses a forged one with 400', async () => {
    const post = (headers: Record<string, string>) =>
      fetch(url, { method: 'POST', headers: { ...headers, 'content-type': 'application/json' }, body: BODY });
    const ok = await post(fresh());
    expect(ok.status).toBe(200);
    expect(await ok.json()).toEqual({ received: ID, type: 'order.paid' });
    const refused = await post(forged());
    expect(refused.status).toBe(400);
    expect((await refused.json()).error).toMatch(/signature does not match/);
  });
});

describe('Hono (a Fetch Request, WebCrypto)', () => {
  const app = new Hono();
  app.post('/hooks', async (c) => {
    try {
      const event = await verifyWebhookAsync(await c.req.text(), c.req.raw.headers, SECRET);
      return c.json({ received: event.id });
    } catch (error) {
      return c.json({ error: String(error) }, 400);
    }
  });

  it('takes a signed event, and refuses a forged one with 400', async () => {
    const ok = await app.request('/hooks', { method: 'POST', headers: fresh(), body: BODY });
    expect(ok.status).toBe(200);
    expect(await ok.json()).toEqual({ received: ID });
    const refused = await app.request('/hooks', { method: 'POST', headers: forged(), body: BODY });
    expect(refused.status).toBe(400);
  });
});

describe('a Next.js route handler (app/api/igepay/route.ts: a Request in, a Response out)', () => {
  // As a merchant writes it, for the Node or the edge runtime alike.
  async function POST(request: Request): Promise<Response> {
    try {
      const event = await verifyWebhookAsync(await request.text(), request.headers, SECRET);
      if (event.type === 'order.paid') return Response.json({ paid: event.data.order_id });
      return Response.json({ unapplied: event.data.reason });
    } catch (error) {
      if (error instanceof WebhookVerificationError)
        return Response.json({ error: error.message }, { status: 400 });
      throw error;
    }
  }
  const request = (headers: Record<string, string>) =>
    new Request('https://shop.example/api/igepay', { method: 'POST', headers, body: BODY });

  it('takes a signed event, and refuses a forged one with 400', async () => {
    const ok = await POST(request(fresh()));
    expect(ok.status).toBe(200);
    expect(await ok.json()).toEqual({ paid: 'o1' });
    expect((await POST(request(forged()))).status).toBe(400);
    // The sync verifier takes the same Request's headers too (Node runtime).
    const same = request(fresh());
    expect(verifyWebhook(await same.text(), same.headers, SECRET).id).toBe(ID);
  });
});
