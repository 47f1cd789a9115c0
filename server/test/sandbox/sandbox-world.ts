/**
 * A server in sandbox mode for each test of the file that imports this (`server`, and its
 * merchant's `token`), and a check after the file that the token reached no page, reply or log
 * line; with what the sandbox's tests do as a buyer and as igepay.
 */
import type { CheckoutResponse } from '@igepay/shared';
import { afterAll, afterEach, beforeEach, expect } from 'vitest';
import {
  inspect,
  postGatewayForm,
  type SandboxInspection,
  type SandboxServer,
  startSandboxServer,
} from '../support/sandbox-harness.js';

/** The running sandbox server, and its merchant's token. */
export let server: SandboxServer;
export let token = '';
const everything: string[] = [];

/** Keeps what the server sent and wrote, for the token check, and closes it. */
async function retire(): Promise<void> {
  everything.push(...server.responses, ...server.logs.map((line) => JSON.stringify(line)));
  await server.close();
}

/** Replaces the running server with one started with `env`. */
export async function restart(env: Record<string, string>): Promise<void> {
  await retire();
  server = await startSandboxServer(env);
  token = server.merchant.token;
}

beforeEach(async () => {
  server = await startSandboxServer();
  token = server.merchant.token;
});
afterEach(retire);
afterAll(() => {
  // The sandbox token signs everything above, yet no page, reply or log line shows it.
  expect(everything.length).toBeGreaterThan(20);
  for (const text of everything) expect(text).not.toContain(token);
});

/** Waits for `check` to return a value (not undefined), polling; fails after `ms`. */
export async function until<T>(check: () => Promise<T | undefined>, ms = 5000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** Posts the order's gateway form asking for JSON, and answers the simulator's pay_num. */
export async function open(order: CheckoutResponse): Promise<string> {
  const response = await postGatewayForm(order.gateway.action, order.gateway.fields, {
    accept: 'application/json',
  });
  const body = (await response.json()) as { code: number; pay_num: string };
  expect(response.status, JSON.stringify(body)).toBe(200);
  expect(body.code).toBe(0);
  return body.pay_num;
}

/** The buyer presses "paid" on the pay page with these faults ticked (as the page's form posts it). */
export function pay(payNum: string, faults: string[] = [], accept = 'application/json'): Promise<Response> {
  const form = new URLSearchParams([
    ['faults_chosen', '1'],
    ...faults.map((fault): [string, string] => ['fault', fault]),
  ]);
  return fetch(`${server.base}/sandbox/pay/${payNum}/pay`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', accept },
    body: form.toString(),
    redirect: 'manual',
  });
}

/** The simulator's payment `payNum`; fails when there is none. */
export function paymentOf(inspection: SandboxInspection, payNum: string) {
  const payment = inspection.payments.find((p) => p.pay_num === payNum);
  if (!payment) throw new Error(`no payment ${payNum}`);
  return payment;
}

/** The notification bodies the simulator sent for an order, oldest first. */
export async function sentNotifications(orderId: string): Promise<Array<Record<string, unknown>>> {
  const { entries } = await inspect(server, orderId);
  return entries.filter((entry) => entry.kind === 'notify').reverse();
}
