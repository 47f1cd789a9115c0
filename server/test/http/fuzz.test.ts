/**
 * Hostile input: at least 10,000 generated and mutated requests per route. Whatever arrives,
 * the server answers a clear 4xx (or a 2xx for what is valid), never a 5xx, never crashes,
 * and nothing that is not validly signed changes anything.
 */
import type { CheckoutResponse } from '@igepay/shared';
import fc from 'fast-check';
import type { FastifyInstance, InjectOptions } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkout, notificationFor, startTestServer, type TestServer } from '../support/harness.js';

const RUNS = 10_000;

/** Strings a scanner throws: long, unicode, control characters, injections, encodings. */
const nasty = fc.oneof(
  fc.string({ maxLength: 40 }),
  fc.string({ unit: 'grapheme', maxLength: 40 }),
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.constantFrom(
    '',
    ' ',
    '0',
    '-1',
    '1e3',
    '12.345',
    'NaN',
    '0x10',
    '١٢.٣٠',
    '１２．３０',
    '\u0000',
    '%00',
    '%',
    '%ZZ',
    '../../etc/passwd',
    "' OR 1=1 --",
    '<script>alert(1)</script>',
    '__proto__',
    'constructor',
    'a'.repeat(5000),
  ),
);

/** Any JSON value, nested a little. */
const jsonValue = fc.oneof(
  { depthSize: 'small' },
  nasty,
  fc.integer(),
  fc.double(),
  fc.boolean(),
  fc.constant(null),
  fc.array(nasty, { maxLength: 3 }),
  fc.dictionary(nasty, nasty, { maxKeys: 3 }),
);

/**
 * A body made of some of `fields` (valid values, so many requests get far), some dropped, some
 * changed: odd values, strangers, repeated fields and arrays.
 */
function fieldsOf(fields: readonly string[], valid: Record<string, string>) {
  const changed = fc.dictionary(
    fc.oneof(fc.constantFrom(...fields), nasty),
    fc.oneof(
      nasty,
      fc.constantFrom(...Object.values(valid)),
      fc.array(fc.constantFrom(...Object.values(valid)), { minLength: 2, maxLength: 3 }),
    ),
    { maxKeys: 3 },
  );
  return fc
    .tuple(fc.subarray([...fields]), fc.oneof(fc.constant({}), changed))
    .map(([kept, changes]) => ({ ...pick(valid, kept), ...changes }));
}

function pick(valid: Record<string, string>, fields: readonly string[]): Record<string, string> {
  return Object.fromEntries(
    fields.filter((name) => valid[name] !== undefined).map((name) => [name, valid[name] ?? '']),
  );
}

/** The same fields sent every way a client might: JSON, a form, repeated keys, wrong types, broken bytes. */
function encodings(fields: fc.Arbitrary<Record<string, unknown>>) {
  return fc.oneof(
    fields.map((body) => ({ type: 'application/json', payload: JSON.stringify(body) })),
    fields.map((body) => ({
      type: 'application/x-www-form-urlencoded',
      payload: Object.entries(body)
        .flatMap(([name, value]) => (Array.isArray(value) ? value : [value]).map((v) => [name, String(v)]))
        .map(([name, value]) => `${encodeURIComponent(name ?? '')}=${encodeURIComponent(value ?? '')}`)
        .join('&'),
    })),
    jsonValue.map((value) => ({ type: 'application/json', payload: JSON.stringify(value) ?? 'null' })),
    fc.uint8Array({ maxLength: 300 }).map((bytes) => ({
      type: 'application/x-www-form-urlencoded',
      payload: Buffer.from(bytes),
    })),
    fc
      .tuple(
        fc.constantFrom(
          'text/plain',
          'multipart/form-data; boundary=x',
          'application/xml',
          'application/json; charset=gbk',
          '',
          'garbage',
        ),
        nasty,
      )
      .map(([type, payload]) => ({ type, payload })),
    fc.string({ maxLength: 60 }).map((text) => ({ type: 'application/json', payload: `{"channel":${text}` })),
    // Over the 16 KiB body limit.
    fc
      .constantFrom('application/json', 'application/x-www-form-urlencoded')
      .map((type) => ({ type, payload: `a=${'x'.repeat(20_000)}` })),
  );
}

let server: TestServer;
let app: FastifyInstance;
let orders: CheckoutResponse[];

beforeAll(async () => {
  server = await startTestServer();
  app = server.app;
  orders = [
    await checkout(app, { channel: 'alipay', product: 'mug' }),
    await checkout(app, { channel: 'wechat', price: '88.80', order_name: '会员', order_uid: 'u1' }),
  ];
});
afterAll(() => server.close());

/** Every reply: never a 5xx, never an HTML stack trace, always a body that says something. */
function expectClear(response: { statusCode: number; body: string }, context: unknown): void {
  if (response.statusCode >= 500)
    throw new Error(`5xx for ${JSON.stringify(context).slice(0, 500)}: ${response.body}`);
  expect(response.body).not.toMatch(/at .*\.(ts|js):\d+/);
}

async function send(options: InjectOptions) {
  return app.inject(options);
}

describe('hostile input', () => {
  it(`POST /api/checkout: ${RUNS} requests, only valid ones create orders`, async () => {
    let created = 0;
    const valid = { channel: 'alipay', price: '12.30', product: 'mug', order_name: 'x', order_uid: 'u' };
    const fields = ['channel', 'price', 'product', 'order_name', 'order_uid', 'return_to'];
    await fc.assert(
      fc.asyncProperty(encodings(fieldsOf(fields, valid)), async ({ type, payload }) => {
        const response = await send({
          method: 'POST',
          url: '/api/checkout',
          headers: type ? { 'content-type': type } : {},
          payload,
        });
        expectClear(response, { type, payload: String(payload) });
        if (response.statusCode === 201) created += 1;
        else expect(response.json()).toMatchObject({ code: expect.any(Number), msg: expect.any(String) });
      }),
      { numRuns: RUNS },
    );
    const stored = await server.app.inject({ url: '/healthz' });
    expect(stored.statusCode).toBe(200);
    const { SqliteStore } = await import('../../src/store/sqlite/store.js');
    expect(SqliteStore).toBeDefined();
    expect(created).toBeGreaterThanOrEqual(0);
    const listed = await (
      app as unknown as { igepay: { store: { listOrders: (f: object) => Promise<unknown[]> } } }
    ).igepay.store.listOrders({ limit: 100_000 });
    expect(listed.length).toBe(created + orders.length);
  });

  it(`POST /api/igepay/notify: ${RUNS} unsigned or mis-signed notifications change nothing`, async () => {
    const [order] = orders as [CheckoutResponse];
    const signed = notificationFor(order);
    const fields = Object.keys(signed);
    // Valid fields with a sign that is never right for them: igepay's shape, a forger's sign.
    const forged = fieldsOf(fields, {
      ...signed,
      // A sign no token makes for these fields: a forger's notification.
      sign: '0'.repeat(32),
    });
    await fc.assert(
      fc.asyncProperty(encodings(forged), async ({ type, payload }) => {
        const response = await send({
          method: 'POST',
          url: '/api/igepay/notify',
          headers: type ? { 'content-type': type } : {},
          payload,
        });
        expectClear(response, { type, payload: String(payload) });
        expect(response.statusCode).toBeGreaterThanOrEqual(400);
        expect(response.body).toBe('fail');
      }),
      { numRuns: RUNS },
    );
    const store = (
      app as unknown as { igepay: { store: import('../../src/store/order-store.js').OrderStore } }
    ).igepay.store;
    for (const o of orders) expect((await store.getOrder(o.order_id))?.status).toBe('pending');
    expect(await store.listUnapplied()).toEqual([]);
  });

  it(`GET /api/orders/:id: ${RUNS} probes with wrong ids, secrets and waits`, async () => {
    const [order] = orders as [CheckoutResponse];
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(nasty, fc.constant(order.order_id)),
        fc.oneof(nasty, fc.constant(`${order.client_secret}x`), fc.constant('')),
        fc.oneof(nasty, fc.constantFrom('0', '1', '30', '999999', '-5')),
        fc.boolean(),
        async (id, secret, wait, withWait) => {
          const query = new URLSearchParams({ client_secret: secret, ...(withWait && { wait }) });
          const response = await send({ url: `/api/orders/${encodeURIComponent(id)}?${query}` });
          expectClear(response, { id, secret, wait });
          expect(response.statusCode).toBeGreaterThanOrEqual(400);
        },
      ),
      { numRuns: RUNS },
    );
  });
});

describe('hostile input at the simulator', () => {
  it(`POST /sandbox/Home/Pay/payFor: ${RUNS} forged or broken pay requests open no payment`, async () => {
    const { startSandboxServer } = await import('../support/sandbox-harness.js');
    const sandbox = await startSandboxServer();
    try {
      const order = await checkout(sandbox.app, { channel: 'alipay', product: 'vip' });
      const fields = Object.keys(order.gateway.fields);
      // The signed fields with a key that is never right for them.
      const forged = fieldsOf(fields, { ...order.gateway.fields, key: 'f'.repeat(32) } as Record<
        string,
        string
      >);
      await fc.assert(
        fc.asyncProperty(encodings(forged), fc.boolean(), async ({ type, payload }, json) => {
          const response = await sandbox.app.inject({
            method: 'POST',
            url: '/sandbox/Home/Pay/payFor',
            headers: {
              ...(type && { 'content-type': type }),
              accept: json ? 'application/json' : 'text/html',
            },
            payload,
          });
          expectClear(response, { type, payload: String(payload) });
          expect(response.statusCode).toBeGreaterThanOrEqual(400);
          if (json)
            expect(response.json()).toMatchObject({ code: expect.any(Number), msg: expect.any(String) });
        }),
        { numRuns: RUNS },
      );
      const inspection = await sandbox.app.inject({
        url: '/sandbox/inspect',
        headers: { accept: 'application/json' },
      });
      expect(inspection.json().payments).toEqual([]);
    } finally {
      await sandbox.close();
    }
  });
});
