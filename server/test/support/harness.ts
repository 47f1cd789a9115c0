/**
 * Test harness for the signing server: a real app on a real SQLite file in a temporary
 * folder, with every log line and every response recorded so tests can prove the token
 * never leaks. Used by tests only; not exported from the package.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import type { CheckoutResponse } from '@igepay/shared';
import { notificationSign } from '@igepay/shared/signing';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { afterAll, afterEach, beforeEach, expect } from 'vitest';
import { type BuildAppOptions, buildApp } from '../../src/app.js';
import { type Config, loadConfig } from '../../src/config/config.js';
import type { NewOrder, OrderStore } from '../../src/store/order-store.js';

/** The public test token of the protocol document (docs/protocol.md §1.5); never a real one. */
export const TOKEN = 'a1b2c3d4e5f6a7b8c9d0e1f2a3b4c5d6';

/** The catalog every test server has. */
export const PRODUCTS = {
  vip: { name: 'VIP会员', price: '10.00' },
  mug: { name: 'Coffee mug', price: '12.30' },
};

/** A store-level order for store and CLI tests: 12.30 yuan, key `k…k`, paid within a minute of 1 s. */
export function newOrder(orderId: string, overrides: Partial<NewOrder> = {}): NewOrder {
  return {
    orderId,
    clientSecretHash: 'h'.repeat(64),
    priceCents: 1230,
    channel: 'alipay',
    product: null,
    orderName: '会员',
    orderUid: null,
    requestKey: 'k'.repeat(32),
    createdAt: 1_000,
    expiresAt: 1_000 + 60_000,
    returnTo: null,
    ...overrides,
  };
}

/** Everything a test server recorded, across the test file. */
export const recorded = { logs: [] as string[], responses: [] as string[] };

/** Asserts that the token appears in no log line and no response recorded so far. */
export function expectNoTokenLeak(): void {
  expect(recorded.logs.length).toBeGreaterThan(0);
  expect(recorded.responses.length).toBeGreaterThan(0);
  for (const line of recorded.logs) expect(line).not.toContain(TOKEN);
  for (const response of recorded.responses) expect(response).not.toContain(TOKEN);
}

/** A folder for one test's database and catalog, removed by `cleanup`. */
export function tempDir(): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'igepay-test-'));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/** Settings for a test server whose database lives in `dir`; `env` overrides. */
export function testConfig(dir: string, env: Record<string, string> = {}): Config {
  const products = join(dir, 'products.json');
  writeFileSync(products, JSON.stringify(PRODUCTS));
  return loadConfig({
    IGEPAY_UID: '10001',
    IGEPAY_TOKEN: TOKEN,
    PUBLIC_URL: 'http://shop.example.com',
    DATABASE_URL: `sqlite:${join(dir, 'igepay.db')}`,
    IGEPAY_PRODUCTS: products,
    IGEPAY_RATE_LIMIT: '0',
    // The tests sell both catalog products and open amounts.
    IGEPAY_OPEN_AMOUNTS: '1',
    ...env,
  });
}

/** An app as every test builds it, with what it said and sent. */
export interface RecordedApp {
  readonly app: FastifyInstance;
  /** This app's log lines, parsed. */
  readonly logs: Array<Record<string, unknown>>;
  /** Every response's header block and body, as sent. */
  readonly responses: string[];
  /** Moves the app's clock forward. */
  advance(ms: number): void;
}

/**
 * Builds the app with the hooks every test server has, whatever it serves: each log line and
 * response kept (here and for the file's token-leak check), and a clock the test moves.
 */
export async function buildRecordedApp(
  options: Omit<BuildAppOptions, 'logger' | 'now'>,
): Promise<RecordedApp> {
  const logs: Array<Record<string, unknown>> = [];
  const responses: string[] = [];
  const stream = new Writable({
    write(chunk, _encoding, done) {
      const line = String(chunk);
      recorded.logs.push(line);
      logs.push(JSON.parse(line) as Record<string, unknown>);
      done();
    },
  });
  let offset = 0;
  const app = await buildApp({
    ...options,
    logger: { level: 'debug', stream },
    now: () => Date.now() + offset,
  });
  app.addHook('onSend', async (_request, reply, payload) => {
    const response = `${JSON.stringify(reply.getHeaders())}\n${String(payload)}`;
    recorded.responses.push(response);
    responses.push(response);
    return payload;
  });
  return {
    app,
    logs,
    responses,
    advance: (ms) => {
      offset += ms;
    },
  };
}

/** A running test server and its parts. */
export interface TestServer {
  readonly app: FastifyInstance;
  readonly config: Config;
  readonly dir: string;
  /** This server's log lines, parsed. */
  readonly logs: Array<Record<string, unknown>>;
  /** Moves the server's clock forward. */
  advance(ms: number): void;
  close(): Promise<void>;
}

/** Builds a test server on a database in `dir` (a new temporary folder by default). */
export async function startTestServer(
  options: {
    dir?: string;
    env?: Record<string, string>;
    store?: OrderStore;
    expirySweepMs?: number;
    widgetFile?: string;
    /** More options for `buildApp` (onPaid, retry, deliveryPollMs). */
    build?: Pick<BuildAppOptions, 'onPaid' | 'retry' | 'deliveryPollMs' | 'dashboardDir'>;
  } = {},
): Promise<TestServer> {
  const temp = options.dir === undefined ? tempDir() : undefined;
  const dir = options.dir ?? temp?.dir ?? '';
  const config = testConfig(dir, options.env);
  const { app, logs, advance } = await buildRecordedApp({
    config,
    ...(options.store && { store: options.store }),
    ...(options.expirySweepMs !== undefined && { expirySweepMs: options.expirySweepMs }),
    ...(options.widgetFile !== undefined && { widgetFile: options.widgetFile }),
    ...options.build,
  });
  return {
    app,
    config,
    dir,
    logs,
    advance,
    close: async () => {
      await app.close();
      temp?.cleanup();
    },
  };
}

/** Options for {@link startTestServer}. */
export type TestServerOptions = Parameters<typeof startTestServer>[0];

/**
 * A fresh test server for each test of the file (`t.server`), closed after it, and the token
 * leak check after the whole file. `t.restart(options)` swaps in a server built otherwise.
 */
export function useTestServer(options: TestServerOptions = {}): {
  server: TestServer;
  restart(next?: TestServerOptions): Promise<void>;
} {
  const holder = {
    server: undefined as unknown as TestServer,
    async restart(next: TestServerOptions = options) {
      await holder.server.close();
      holder.server = await startTestServer(next);
    },
  };
  beforeEach(async () => {
    holder.server = await startTestServer(options);
  });
  afterEach(() => holder.server.close());
  afterAll(expectNoTokenLeak);
  return holder;
}

/** `POST /api/checkout` with a JSON body. */
export function postCheckout(
  app: FastifyInstance,
  body: unknown,
  headers: Record<string, string> = {},
): Promise<LightMyRequestResponse> {
  return app.inject({ method: 'POST', url: '/api/checkout', payload: body as object, headers });
}

/** Creates an order through the API and returns the reply body. */
export async function checkout(
  app: FastifyInstance,
  body: Record<string, unknown>,
): Promise<CheckoutResponse> {
  const response = await postCheckout(app, body);
  expect(response.statusCode, response.body).toBe(201);
  return response.json<CheckoutResponse>();
}

/**
 * The notification igepay would send for `order` (docs/protocol.md §1.3), validly signed with the
 * test token over the given (possibly changed) `order_id` and `price`.
 */
export function notificationFor(
  order: CheckoutResponse,
  changes: Record<string, string | undefined> = {},
  token: string = TOKEN,
): Record<string, string> {
  const fields: Record<string, string | undefined> = {
    pay_num: `P${order.order_id.slice(-12)}`,
    transaction_id: `T${order.order_id.slice(-16)}`,
    order_id: order.order_id,
    price: order.gateway.fields.price,
    order_uid: order.gateway.fields.order_uid,
    code: '0000',
    key: order.gateway.fields.key,
    ...changes,
  };
  const sign = notificationSign({ order_id: fields.order_id ?? '', price: fields.price ?? '' }, token);
  return Object.fromEntries(
    Object.entries({ sign, ...fields }).filter((entry): entry is [string, string] => entry[1] !== undefined),
  );
}

/** `POST /api/igepay/notify` as a form, the way igepay sends it. */
export function postNotify(
  app: FastifyInstance,
  fields: Record<string, string>,
): Promise<LightMyRequestResponse> {
  return app.inject({
    method: 'POST',
    url: '/api/igepay/notify',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    payload: new URLSearchParams(fields).toString(),
  });
}

/** `GET /api/orders/:id` with the order's secret. */
export function getOrder(
  app: FastifyInstance,
  order: CheckoutResponse,
  query = '',
): Promise<LightMyRequestResponse> {
  return app.inject({
    method: 'GET',
    url: `/api/orders/${order.order_id}?client_secret=${encodeURIComponent(order.client_secret)}${query}`,
  });
}

/** The SQLite file a test server stores orders in (test servers use the embedded engine). */
export function sqlitePath(config: Config): string {
  if (config.database.engine !== 'sqlite') throw new Error('this test server does not use SQLite');
  return config.database.path;
}
