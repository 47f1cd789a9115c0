import type { ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import type { CheckoutResponse, OrderView } from '@igepay/shared';
import pg from 'pg';
import { afterEach, beforeEach, describe, expect, inject, it } from 'vitest';
import { verifyWebhook } from '../../src/index.js';
import { notificationFor, TOKEN } from '../support/harness.js';
import { freshDatabase } from '../support/postgres.js';
import { listeningAt, runEntry } from '../support/process.js';

const FORWARD_SECRET = 'whsec_Zm9yd2FyZC1zZWNyZXQtZm9yLXRlc3RzLTAxMjM0NTY=';

interface Instance {
  readonly child: ChildProcess;
  readonly base: string;
}

let database: Awaited<ReturnType<typeof freshDatabase>>;
const children: ChildProcess[] = [];
let receiver: Server | undefined;
beforeEach(async () => {
  database = await freshDatabase(inject('postgresUrl'));
});
afterEach(async () => {
  await Promise.all(
    children.splice(0).map(async (child) => {
      if (child.exitCode !== null) return;
      const exited = once(child, 'exit');
      child.kill('SIGTERM');
      await exited;
    }),
  );
  receiver?.close();
  await database.drop();
});

/** One signing server process on the shared database, as a merchant runs several behind a load balancer. */
async function instance(forwardUrl: string): Promise<Instance> {
  const server = runEntry({
    IGEPAY_UID: '10001',
    IGEPAY_TOKEN: TOKEN,
    HOST: '127.0.0.1',
    PORT: '0',
    // Both behind one public address: the load balancer's.
    PUBLIC_URL: 'https://pay.shop.example.com',
    DATABASE_URL: database.url,
    IGEPAY_FORWARD_URL: forwardUrl,
    IGEPAY_FORWARD_SECRET: FORWARD_SECRET,
  });
  children.push(server.child);
  return { child: server.child, base: await listeningAt(server) };
}

/** The merchant's app: records every verified event it receives. */
async function merchantApp(): Promise<{ url: string; received: Array<{ id: string; type: string }> }> {
  const received: Array<{ id: string; type: string }> = [];
  receiver = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk) => {
      body += String(chunk);
    });
    request.on('end', () => {
      const event = verifyWebhook(body, request.headers, FORWARD_SECRET);
      received.push({ id: event.id, type: event.type });
      response.end('ok');
    });
  });
  receiver.listen(0, '127.0.0.1');
  await once(receiver, 'listening');
  const address = receiver.address();
  return {
    url: `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}/events`,
    received,
  };
}

async function checkoutOn(server: Instance): Promise<CheckoutResponse> {
  const response = await fetch(`${server.base}/api/checkout`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ channel: 'alipay', price: '12.30', order_name: '会员' }),
  });
  expect(response.status).toBe(201);
  return (await response.json()) as CheckoutResponse;
}

function longPoll(server: Instance, order: CheckoutResponse): Promise<OrderView> {
  return fetch(
    `${server.base}/api/orders/${order.order_id}?client_secret=${order.client_secret}&wait=30`,
  ).then(async (response) => (await response.json()) as OrderView);
}

async function notify(server: Instance, order: CheckoutResponse): Promise<string> {
  const response = await fetch(`${server.base}/api/igepay/notify`, {
    method: 'POST',
    body: new URLSearchParams(notificationFor(order)),
  });
  return await response.text();
}

describe('several instances on one PostgreSQL database', () => {
  it('wakes a long poll on one instance when the notification lands on another; pays and forwards once', {
    timeout: 60_000,
  }, async () => {
    const app = await merchantApp();
    const [a, b] = await Promise.all([instance(app.url), instance(app.url)]);

    // The buyer's page talks to A; igepay's notification reaches B.
    const first = await checkoutOn(a);
    const firstPoll = longPoll(a, first);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(await notify(b, first)).toBe('success');
    // Woken by B's NOTIFY: A answers within milliseconds. Without it, A would hold the poll
    // for the whole 30 s wait; 5 s is a generous bound between the two.
    const woken = await Promise.race([
      firstPoll,
      sleep(5_000).then(() => 'still waiting after 5 s' as const),
    ]);
    expect(woken).toMatchObject({ status: 'paid' });

    // igepay resends: the same notification reaches both instances at once, several times.
    const second = await checkoutOn(a);
    const secondPoll = longPoll(a, second);
    await new Promise((resolve) => setTimeout(resolve, 300));
    const answers = await Promise.all([
      notify(a, second),
      notify(b, second),
      notify(b, second),
      notify(a, second),
    ]);
    expect(answers).toEqual(['success', 'success', 'success', 'success']);
    expect((await secondPoll).status).toBe('paid');

    // One paid change and one event per order in the database...
    const client = new pg.Client({ connectionString: database.url });
    await client.connect();
    const paid = await client.query<{ order_id: string }>(
      `SELECT order_id FROM orders WHERE status = 'paid' ORDER BY order_id`,
    );
    const events = await client.query<{ id: string }>('SELECT id FROM events ORDER BY id');
    await client.end();
    expect(paid.rows.map((row) => row.order_id)).toEqual([first.order_id, second.order_id].sort());
    expect(events.rows.map((row) => row.id)).toEqual(
      [`evt_paid_${first.order_id}`, `evt_paid_${second.order_id}`].sort(),
    );

    // ...and one forward each, whichever instance delivered it: both poll the outbox.
    await expect.poll(() => app.received.length, { timeout: 10_000 }).toBe(2);
    await new Promise((resolve) => setTimeout(resolve, 2_500));
    expect(app.received.map((event) => event.id).sort()).toEqual(events.rows.map((row) => row.id));
    expect(app.received.every((event) => event.type === 'order.paid')).toBe(true);
  });
});
