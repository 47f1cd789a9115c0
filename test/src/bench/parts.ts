/**
 * `pnpm bench:parts`: what each part of a checkout and of a notification costs the request
 * thread, in CPU µs, measured in one process with the server's own modules and store. The
 * whole request goes through `inject` into the real app (a real SQLite store, logging at
 * `info`), beside the same through a bare Fastify route; each part is then run alone, as the
 * route runs it. What the parts do not account for is the framework's path through our
 * plugin (routing, hooks, the request's id and logger, promises).
 *
 * Only this thread's CPU is counted (`process.threadCpuUsage`): the store's writer thread
 * works on the other core, as in production, and `pnpm bench` counts it. No socket and no
 * HTTP parser: `pnpm bench` measures those, the same for every server. Medians of
 * `BENCH_ROUNDS` rounds of `BENCH_REQUESTS` each. Node 23.9 or later.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import cors from '@fastify/cors';
import formbody from '@fastify/formbody';
import { buildApp, loadConfig } from '@igepay/server';
import {
  CheckoutRequestSchema,
  CheckoutResponseSchema,
  NOTIFY_PATH,
  NotificationSchema,
  type PayFields,
} from '@igepay/shared';
import { checkNotificationSign, requestKey } from '@igepay/shared/signing';
import Fastify, { type FastifyInstance } from 'fastify';
import { createLogger } from '../../../server/dist/http/logger.js';
import { serializerCompiler } from '../../../server/dist/http/serializer.js';
import { createCheckout } from '../../../server/dist/orders/checkout.js';
import { hashClientSecret, newClientSecret, newOrderId } from '../../../server/dist/orders/ids.js';
import { corsOptions } from '../../../server/dist/plugin.js';
import { seedPendingOrders } from './seed.js';
import { BENCH_TOKEN } from './token.js';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const REQUESTS = Number(process.env.BENCH_REQUESTS ?? 20_000);
/** Requests in flight at once, as the load generator keeps them in `pnpm bench`. */
const CONCURRENCY = 64;

const threadCpuUsage = (process as { threadCpuUsage?: () => NodeJS.CpuUsage }).threadCpuUsage;
if (!threadCpuUsage) throw new Error('pnpm bench:parts needs Node 23.9 or later (process.threadCpuUsage)');
const threadCpu = () => {
  const { user, system } = threadCpuUsage.call(process);
  return user + system;
};

/** This thread's CPU µs per call of `step(i)`, `count` calls, `CONCURRENCY` in flight. */
async function cpuPer(count: number, step: (i: number) => unknown, offset = 0): Promise<number> {
  const started = threadCpu();
  let next = 0;
  const lane = async () => {
    while (next < count) await step(offset + next++);
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, lane));
  return (threadCpu() - started) / count;
}

/** The same for a synchronous step, called in a plain loop. */
function cpuPerSync(count: number, step: (i: number) => unknown): number {
  const started = threadCpu();
  for (let i = 0; i < count; i++) step(i);
  return (threadCpu() - started) / count;
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? 0;

interface Part {
  readonly name: string;
  /** `whole`: a whole request (ours, then the bare route's); `within`: a detail of the part above, not summed. */
  readonly kind?: 'whole' | 'within';
  /** Measures one round: µs per request. `round` picks fresh orders where a step uses one up. */
  readonly measure: (round: number) => number | Promise<number>;
}

const row = (name: string, us: number) => console.log(`  ${name.padEnd(64)} ${us.toFixed(2).padStart(7)}`);

async function report(title: string, parts: readonly Part[]): Promise<void> {
  const samples = new Map<string, number[]>(parts.map((part) => [part.name, []]));
  // Round 0 warms every path (JIT, caches, the store's statements) and is not counted.
  for (let round = 0; round <= ROUNDS; round++) {
    for (const part of parts) {
      const us = await part.measure(round);
      if (round > 0) samples.get(part.name)?.push(us);
    }
  }
  const of = (part: Part) => median(samples.get(part.name) ?? []);
  const [ours = 0, bare = 0] = parts.filter((part) => part.kind === 'whole').map(of);
  const summed = parts.filter((part) => part.kind === undefined).reduce((sum, part) => sum + of(part), 0);
  console.log(`\n${title}: request thread, CPU µs per request, median of ${ROUNDS} rounds of ${REQUESTS}`);
  for (const part of parts) row(part.kind === 'within' ? `  ${part.name}` : part.name, of(part));
  row('the rest: routing, hooks, request id and logger, promises', ours - bare - summed);
  row('ours over the bare route', ours - bare);
}

const dir = mkdtempSync(join(tmpdir(), 'igepay-parts-'));
const database = join(dir, 'igepay.db');
const NOW = Date.now();
// As `pnpm bench` runs the server: the rate limit off (one client sends everything).
const config = loadConfig({
  IGEPAY_UID: '10001',
  IGEPAY_TOKEN: BENCH_TOKEN,
  PUBLIC_URL: 'http://shop.example.com',
  DATABASE_URL: `sqlite:${database}`,
  IGEPAY_RATE_LIMIT: '0',
});

// A pending order for every notification and every payment any round makes, two per request.
const ordersPerRound = 2 * REQUESTS;
process.stdout.write(`seeding ${ordersPerRound * (ROUNDS + 1)} pending orders...\n`);
const { notifications } = await seedPendingOrders(database, ordersPerRound * (ROUNDS + 1));
const forms = notifications.map((body) => Object.fromEntries(new URLSearchParams(body)));

let app: FastifyInstance | undefined;
let bare: FastifyInstance | undefined;
let bareCors: FastifyInstance | undefined;
try {
  app = await buildApp({ config, logger: { level: 'info', destination: '/dev/null' } });
  bare = Fastify({ logger: false });
  await bare.register(formbody);
  bare.post('/json', async () => ({ ok: true }));
  bare.post('/form', async () => ({ ok: true }));
  // The bare route with the JSON API's CORS as the plugin registers it: what CORS adds.
  bareCors = Fastify({ logger: false });
  await bareCors.register(cors, corsOptions(config));
  bareCors.post('/json', async () => ({ ok: true }));
  await Promise.all([app.ready(), bare.ready(), bareCors.ready()]);
  const ours = app;
  const plain = bare;
  const withCors = bareCors;
  const { store } = ours.igepay;
  const token = config.token.reveal();
  const post = async (target: FastifyInstance, url: string, type: string, payload: string, status = 200) => {
    const reply = await target.inject({ method: 'POST', url, headers: { 'content-type': type }, payload });
    if (reply.statusCode !== status) throw new Error(`${url} answered ${reply.statusCode}: ${reply.body}`);
  };

  const checkoutBody = { channel: 'alipay', price: '12.50', order_name: '充值' };
  const checkoutJson = JSON.stringify(checkoutBody);
  const body = CheckoutRequestSchema.parse(checkoutBody);
  const storeless = { config, store: { createOrder: async () => {} } };
  const sample = await createCheckout(storeless, body, NOW);
  const fields = sample.gateway.fields as PayFields;
  const serialize = serializerCompiler({
    schema: CheckoutResponseSchema,
    method: 'POST',
    url: '',
    httpStatus: '201',
  });
  let made = 0;

  await report('POST /api/checkout', [
    {
      name: 'the whole request into our app (inject)',
      kind: 'whole',
      measure: () =>
        cpuPer(REQUESTS, () => post(ours, '/api/checkout', 'application/json', checkoutJson, 201)),
    },
    {
      name: 'the same body into a bare Fastify route (inject)',
      kind: 'whole',
      measure: () => cpuPer(REQUESTS, () => post(plain, '/json', 'application/json', checkoutJson)),
    },
    {
      name: 'CORS (@fastify/cors as the API registers it, on the bare route)',
      measure: async () =>
        (await cpuPer(REQUESTS, () => post(withCors, '/json', 'application/json', checkoutJson))) -
        (await cpuPer(REQUESTS, () => post(plain, '/json', 'application/json', checkoutJson))),
    },
    {
      name: "the body's validation (zod)",
      measure: () => cpuPerSync(REQUESTS, () => CheckoutRequestSchema.parse(checkoutBody)),
    },
    {
      name: 'the order: amount, ids, fields, signature (no store)',
      measure: () => cpuPer(REQUESTS, () => createCheckout(storeless, body, NOW)),
    },
    {
      name: 'the ids: order id, client secret and its SHA-256',
      kind: 'within',
      measure: () => cpuPerSync(REQUESTS, () => hashClientSecret(newClientSecret()) + newOrderId(NOW)),
    },
    {
      name: "the signature's MD5 (requestKey)",
      kind: 'within',
      measure: () => cpuPerSync(REQUESTS, () => requestKey(fields, token)),
    },
    {
      name: 'the hand-off to the store, until committed (createOrder)',
      measure: () =>
        cpuPer(REQUESTS, () =>
          store.createOrder({
            orderId: newOrderId(NOW),
            clientSecretHash: '0'.repeat(64),
            priceCents: 1250,
            channel: 'alipay',
            product: null,
            orderName: `part ${made++}`,
            orderUid: null,
            requestKey: sample.gateway.fields.key,
            createdAt: NOW,
            expiresAt: NOW + 3_600_000,
            returnTo: null,
          }),
        ),
    },
    {
      name: "the reply's serializer (fast-json-stringify)",
      measure: () => cpuPerSync(REQUESTS, () => serialize(sample)),
    },
  ]);

  const notification = NotificationSchema.parse(forms[0]);
  const logger = createLogger({ token: config.token, level: 'info', destination: '/dev/null' });
  // Round r's notifications use orders [2rN, 2rN + N); its payments through the store the next N.
  await report(`POST ${NOTIFY_PATH}`, [
    {
      name: 'the whole request into our app (inject)',
      kind: 'whole',
      measure: (round) =>
        cpuPer(
          REQUESTS,
          (i) => post(ours, NOTIFY_PATH, 'application/x-www-form-urlencoded', notifications[i] ?? ''),
          round * ordersPerRound,
        ),
    },
    {
      name: 'the same body into a bare Fastify route (inject)',
      kind: 'whole',
      measure: () =>
        cpuPer(REQUESTS, (i) =>
          post(plain, '/form', 'application/x-www-form-urlencoded', notifications[i] ?? ''),
        ),
    },
    {
      name: "the fields' validation (zod)",
      measure: () => cpuPerSync(REQUESTS, (i) => NotificationSchema.safeParse(forms[i])),
    },
    {
      name: "the sign's check (MD5, compared in constant time)",
      measure: () => cpuPerSync(REQUESTS, () => checkNotificationSign(notification, token)),
    },
    {
      name: 'the hand-off to the store, until committed (markPaid)',
      measure: (round) =>
        cpuPer(
          REQUESTS,
          (i) => {
            const { sign: _sign, ...form } = forms[i] ?? {};
            return store.markPaid({
              orderId: form.order_id ?? '',
              transactionId: form.transaction_id ?? null,
              paidAt: NOW,
              echo: { key: form.key ?? null, orderUid: null },
              fields: form,
              requestKey: null,
              priceCents: 1250,
              payNum: form.pay_num ?? '',
            });
          },
          round * ordersPerRound + REQUESTS,
        ),
    },
    {
      name: "the payment's log line (pino, as the server logs)",
      measure: () =>
        cpuPerSync(REQUESTS, (i) =>
          logger.info(
            {
              req_id: 'a6f1c4f8-3b8e-4f55-9d6e-0c9c1f3e7a52',
              client: '127.0.0.1',
              event: 'order.paid',
              order_id: forms[i]?.order_id,
              price: '12.50',
              late: false,
            },
            'order paid',
          ),
        ),
    },
  ]);
} finally {
  await app?.close();
  await bare?.close();
  await bareCors?.close();
  rmSync(dir, { recursive: true, force: true });
}
