/**
 * The plugin inside an Express or Koa app, in one process (docs/fulfillment.md, "In an Express
 * or Koa app"): a Fastify instance holds the plugin, and the app hands it the requests under the
 * prefix with `fastify.routing`, before its own body parsers. Real servers on loopback.
 */

import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import Fastify, { type FastifyInstance } from 'fastify';
import Koa from 'koa';
import { afterEach, describe, expect, it } from 'vitest';
import { igepayPlugin } from '../src/plugin.js';
import { tempDir, testConfig } from './support/harness.js';

let dir: ReturnType<typeof tempDir>;
let fastify: FastifyInstance;
let server: Server;
afterEach(async () => {
  await new Promise((resolve) => server.close(resolve));
  await fastify.close();
  dir.cleanup();
});

async function igepayUnder(prefix: string): Promise<FastifyInstance> {
  dir = tempDir();
  fastify = Fastify();
  await fastify.register(igepayPlugin, {
    config: testConfig(dir.dir, { PUBLIC_URL: `http://shop.example.com${prefix}` }),
    prefix,
  });
  await fastify.ready();
  return fastify;
}

async function listen(handler: Parameters<typeof import('node:http').createServer>[1]): Promise<string> {
  const { createServer } = await import('node:http');
  server = createServer(handler);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

/** A checkout through the app, the app's own JSON route, and igepay's notification route. */
async function exercise(base: string): Promise<void> {
  const checkout = await fetch(`${base}/pay/api/checkout`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin: 'http://shop.example.com' },
    body: JSON.stringify({ channel: 'alipay', product: 'vip' }),
    signal: AbortSignal.timeout(5000),
  });
  expect(checkout.status, await checkout.clone().text()).toBe(201);
  expect(await checkout.json()).toMatchObject({ gateway: { fields: { price: '10.00' } } });
  // The app's own routes keep their body parser.
  const own = await fetch(`${base}/cart`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ items: 2 }),
    signal: AbortSignal.timeout(5000),
  });
  expect(await own.json()).toEqual({ items: 2 });
  // igepay's notification reaches the plugin, which refuses a bad sign with 403.
  const notify = await fetch(`${base}/pay/api/igepay/notify`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: 'order_id=x&price=1.00&sign=00',
    signal: AbortSignal.timeout(5000),
  });
  expect(notify.status).toBe(403);
}

describe('in an Express or Koa app, in one process', () => {
  it('Express: the prefix handed to Fastify before express.json()', async () => {
    const igepay = await igepayUnder('/pay');
    const app = express();
    app.use('/pay', (request, response) => {
      // Express took the prefix off the URL; Fastify routes the whole one.
      request.url = request.originalUrl;
      igepay.routing(request, response);
    });
    app.use(express.json());
    app.post('/cart', (request, response) => {
      response.json(request.body);
    });
    await exercise(await listen(app));
  });

  it('Koa: the prefix handed to Fastify, Koa told not to answer, before any body parser', async () => {
    const igepay = await igepayUnder('/pay');
    const app = new Koa();
    app.use(async (context, next) => {
      if (!context.path.startsWith('/pay/')) return next();
      context.respond = false;
      igepay.routing(context.req, context.res);
    });
    app.use(async (context) => {
      // The shop's own JSON route (a body parser would sit here).
      let body = '';
      for await (const chunk of context.req) body += chunk;
      context.body = JSON.parse(body);
    });
    await exercise(await listen(app.callback()));
  });
});
