/**
 * Test harness for sandbox mode: the real server with the simulator mounted, listening on a
 * loopback port (so the simulator's notifications travel real HTTP), on a real SQLite file in
 * a temporary folder. Every log line and response is recorded for the token-leak check.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { CheckoutResponse, OrderView } from '@igepay/shared';
import type { FastifyInstance } from 'fastify';
import { expect } from 'vitest';
import type { Config } from '../../src/config/config.js';
import { bindServer } from '../../src/http/listen.js';
import { CREDENTIALS_FILE, type SandboxCredentials } from '../../src/sandbox/credentials.js';
import { loadSandboxConfig } from '../../src/sandbox/mode.js';
import { buildRecordedApp, PRODUCTS, tempDir } from './harness.js';

/** Fast settings: resends 50 ms apart, late notifications 300 ms late, return after 1 s. */
export const FAST_SANDBOX = {
  IGEPAY_SANDBOX_RETRY_SECONDS: '0.05,0.05,0.05',
  IGEPAY_SANDBOX_DELAY_SECONDS: '0.3',
  IGEPAY_SANDBOX_RETURN_SECONDS: '1',
};

/** A server in sandbox mode, listening on loopback. */
export interface SandboxServer {
  readonly app: FastifyInstance;
  readonly config: Config;
  /** `http://127.0.0.1:PORT` */
  readonly base: string;
  /** The sandbox merchant made in the data directory. */
  readonly merchant: SandboxCredentials;
  readonly logs: Array<Record<string, unknown>>;
  /** Every response body and header block the server sent. */
  readonly responses: string[];
  advance(ms: number): void;
  close(): Promise<void>;
}

/** Starts the server in sandbox mode with {@link FAST_SANDBOX} settings; `env` overrides. */
export async function startSandboxServer(env: Record<string, string> = {}): Promise<SandboxServer> {
  const { dir, cleanup } = tempDir();
  const products = join(dir, 'products.json');
  writeFileSync(products, JSON.stringify(PRODUCTS));
  const { server, port } = await bindServer('127.0.0.1', 0);
  const base = `http://127.0.0.1:${port}`;
  const config = loadSandboxConfig({
    PORT: String(port),
    DATABASE_URL: `sqlite:${join(dir, 'igepay.db')}`,
    IGEPAY_PRODUCTS: products,
    // The sandbox tests sell both catalog products and open amounts.
    IGEPAY_OPEN_AMOUNTS: '1',
    IGEPAY_RATE_LIMIT: '0',
    ...FAST_SANDBOX,
    ...env,
  });
  const { app, logs, responses, advance } = await buildRecordedApp({ config, server });
  await app.ready();
  const merchant = JSON.parse(readFileSync(join(dir, CREDENTIALS_FILE), 'utf8')) as SandboxCredentials;
  return {
    app,
    config,
    base,
    merchant,
    logs,
    responses,
    advance,
    close: async () => {
      await app.close();
      cleanup();
    },
  };
}

/** `POST /api/checkout` over HTTP; expects 201. */
export async function sandboxCheckout(
  server: SandboxServer,
  body: Record<string, unknown>,
): Promise<CheckoutResponse> {
  const response = await fetch(`${server.base}/api/checkout`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  expect(response.status, await response.clone().text()).toBe(201);
  return (await response.json()) as CheckoutResponse;
}

/** Posts the checkout's gateway form as a browser does (form-urlencoded UTF-8, no redirects followed). */
export function postGatewayForm(
  action: string,
  fields: Readonly<Record<string, string | undefined>>,
  headers: Record<string, string> = {},
): Promise<Response> {
  return fetch(action, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'text/html', ...headers },
    body: formBody(fields),
    redirect: 'manual',
  });
}

/** A form body of the fields that are set, in their order. */
export function formBody(fields: Readonly<Record<string, string | undefined>>): string {
  return new URLSearchParams(
    Object.entries(fields).filter((entry): entry is [string, string] => entry[1] !== undefined),
  ).toString();
}

/** The order's status over HTTP, long-polling until it is no longer `from` (or `wait` ends). */
export async function orderStatus(
  server: SandboxServer,
  order: CheckoutResponse,
  options: { from?: string; wait?: number } = {},
): Promise<OrderView> {
  const secret = encodeURIComponent(order.client_secret);
  const deadline = Date.now() + 10_000;
  for (;;) {
    const wait = options.from === undefined ? '' : `&wait=${options.wait ?? 5}`;
    const response = await fetch(
      `${server.base}/api/orders/${order.order_id}?client_secret=${secret}${wait}`,
    );
    expect(response.status).toBe(200);
    const view = (await response.json()) as OrderView;
    if (options.from === undefined || view.status !== options.from || Date.now() > deadline) return view;
  }
}

/** The simulator's inspection data, as JSON. */
export async function inspect(server: SandboxServer, orderId?: string): Promise<SandboxInspection> {
  const query = orderId === undefined ? '' : `?order_id=${encodeURIComponent(orderId)}`;
  const response = await fetch(`${server.base}/sandbox/inspect${query}`, {
    headers: { accept: 'application/json' },
  });
  expect(response.status).toBe(200);
  return (await response.json()) as SandboxInspection;
}

/** What `GET /sandbox/inspect` answers to a script. */
export interface SandboxInspection {
  payments: Array<{
    pay_num: string;
    order_id: string;
    state: string;
    faults: string[];
    return_at: string | null;
    deliveries: Array<{ copy: number; state: string; attempts: number; last_reply: string | null }>;
  }>;
  entries: Array<Record<string, unknown> & { kind: string }>;
}
