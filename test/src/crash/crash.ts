/**
 * Crash safety: orders driven to payment through the simulator while the signing server is
 * killed with SIGKILL at random moments and restarted. The simulator (in this process) keeps
 * resending its notifications; the merchant app (here too) receives the forwarded events.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { buildSimulatorApp, loadStandaloneConfig } from '@igepay/server/sandbox';
import { type CheckoutResponse, DOCUMENT_TEST_TOKEN } from '@igepay/shared';
import pg from 'pg';
import { freePort } from '../free-port.js';

const SERVER_MAIN = join(import.meta.dirname, '..', '..', '..', 'server', 'src', 'bin', 'serve.ts');
// The document's public test token: the simulator signs with no other but sandbox tokens.
const TOKEN = DOCUMENT_TEST_TOKEN;
const UID = '10001';

/** What a run found. */
export interface CrashReport {
  readonly orders: number;
  readonly kills: number;
  /** Orders igepay (the simulator) was told `success` for. */
  readonly acknowledged: number;
  readonly paidInStore: number;
  /** Orders paid in the store that the simulator never marked paid. */
  readonly paidWithoutPayment: string[];
  /** Acknowledged orders not paid in the store. */
  readonly acknowledgedNotPaid: string[];
  /** Paid orders whose event never reached the app. */
  readonly notForwarded: string[];
  /** Orders whose events reached the app under more than one id. */
  readonly unstableEventIds: string[];
  /** Events the app received more than once (allowed: at least once, deduped by id). */
  readonly redeliveries: number;
  readonly notificationAttempts: number;
}

async function until(check: () => boolean | Promise<boolean>, ms: number): Promise<boolean> {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return true;
}

/** Runs `orders` purchases while killing the server every `killEveryMs` (± half) on average. */
export async function runCrashTest(options: {
  orders: number;
  killEveryMs: number;
  /** Keep killing, after the last purchase if need be, until this many kills. */
  minKills?: number;
  /** A PostgreSQL database (`postgres://...`) for the server; default a SQLite file of its own. */
  databaseUrl?: string;
  log?: (line: string) => void;
}): Promise<CrashReport> {
  const log = options.log ?? (() => undefined);
  const dir = mkdtempSync(join(tmpdir(), 'igepay-crash-'));
  const closers: Array<() => Promise<unknown> | unknown> = [
    () => rmSync(dir, { recursive: true, force: true }),
  ];
  try {
    // The merchant app: records every event it receives.
    const received: Array<{ id: string; orderId: string }> = [];
    const app = createServer((request, response) => {
      let body = '';
      request.on('data', (chunk) => {
        body += String(chunk);
      });
      request.on('end', () => {
        const event = JSON.parse(body) as { id: string; data: { order_id: string } };
        received.push({ id: event.id, orderId: event.data.order_id });
        response.writeHead(204).end();
      });
    });
    await new Promise<void>((resolve) => app.listen(0, '127.0.0.1', resolve));
    closers.push(() => new Promise((resolve) => app.close(resolve)));
    const appAddress = app.address();
    const appPort = typeof appAddress === 'object' && appAddress ? appAddress.port : 0;

    // igepay: resends every 100-500 ms for a minute, whatever the server's state.
    const simulator = await buildSimulatorApp(
      loadStandaloneConfig({
        IGEPAY_SANDBOX_UID: UID,
        IGEPAY_SANDBOX_TOKEN: TOKEN,
        IGEPAY_SANDBOX_RETRY_SECONDS: ['0.1', '0.2', ...Array(200).fill('0.5')].join(','),
      }),
      { logger: false },
    );
    closers.push(() => simulator.close());
    const gateway = await simulator.listen({ port: 0, host: '127.0.0.1' });

    // The signing server, on a port of its own across restarts: notify_url names it.
    const port = await freePort();
    const base = `http://127.0.0.1:${port}`;
    const env = {
      PATH: process.env.PATH ?? '',
      PORT: String(port),
      IGEPAY_UID: UID,
      IGEPAY_TOKEN: TOKEN,
      IGEPAY_GATEWAY_URL: `${gateway}/Home/Pay/payFor`,
      DATABASE_URL: options.databaseUrl ?? `sqlite:${join(dir, 'igepay.db')}`,
      IGEPAY_RATE_LIMIT: '0',
      IGEPAY_FORWARD_URL: `http://127.0.0.1:${appPort}/events`,
      IGEPAY_FORWARD_SECRET: 'whsec_Y3Jhc2gtZm9yd2FyZC1zZWNyZXQtMDEyMzQ1Njc4OQ==',
      IGEPAY_FORWARD_RETRY_SECONDS: '0.2',
      LOG_LEVEL: 'warn',
    };
    let child: ChildProcess | undefined;
    const startServer = async () => {
      child = spawn(process.execPath, ['--conditions=@igepay/source', '--import', 'tsx', SERVER_MAIN], {
        cwd: join(import.meta.dirname, '..', '..', '..', 'server'),
        env,
        stdio: 'ignore',
      });
      const up = await until(async () => {
        try {
          return (await fetch(`${base}/healthz`)).ok;
        } catch {
          return false;
        }
      }, 20_000);
      if (!up) throw new Error('the server did not come up');
    };
    closers.push(() => child?.kill('SIGKILL'));
    await startServer();

    // The killer: SIGKILL at random moments, then a restart.
    let kills = 0;
    let buying = true;
    const killer = (async () => {
      while (buying || kills < (options.minKills ?? 0)) {
        await new Promise((resolve) => setTimeout(resolve, options.killEveryMs * (0.5 + Math.random())));
        if (!child) break;
        const exited = once(child, 'exit');
        child.kill('SIGKILL');
        await exited;
        kills += 1;
        log(`killed the server (${kills})`);
        await startServer();
      }
    })();

    // The buyers: each order is created (retried while the server is down), posted to igepay, paid.
    const retry = async <T>(attempt: () => Promise<T>): Promise<T> => {
      for (;;) {
        try {
          return await attempt();
        } catch {
          await new Promise((resolve) => setTimeout(resolve, 100));
        }
      }
    };
    const orderIds: string[] = [];
    let next = 0;
    const buyer = async () => {
      while (next < options.orders) {
        next += 1;
        const order = await retry(async () => {
          const response = await fetch(`${base}/api/checkout`, {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify({
              channel: next % 2 ? 'alipay' : 'wechat',
              price: `${(next % 90) + 1}.${String(next % 100).padStart(2, '0')}`,
            }),
          });
          if (response.status !== 201) throw new Error(`checkout ${response.status}`);
          return (await response.json()) as CheckoutResponse;
        });
        orderIds.push(order.order_id);
        const opened = await fetch(order.gateway.action, {
          method: 'POST',
          headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
          body: new URLSearchParams(order.gateway.fields as Record<string, string>),
        });
        const { pay_num: payNum } = (await opened.json()) as { pay_num: string };
        // Some buyers pay more than once, as igepay's duplicate notifications do.
        const fault = orderIds.length % 7 === 0 ? 'fault=duplicate&faults_chosen=1' : 'faults_chosen=1';
        await fetch(`${gateway}/pay/${payNum}/pay`, {
          method: 'POST',
          headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
          body: fault,
        });
        // A buyer takes a moment: purchases spread over the kills.
        await new Promise((resolve) => setTimeout(resolve, Math.random() * 60));
      }
    };
    await Promise.all(Array.from({ length: 4 }, buyer));
    buying = false;
    await killer;
    log(`${orderIds.length} orders paid at igepay; ${kills} kills; waiting for the resends`);

    // The simulator keeps resending until every copy is acknowledged; the events follow.
    interface Payment {
      order_id: string;
      pay_num: string;
      state: string;
      deliveries: Array<{ state: string; attempts: number }>;
    }
    const payments = async () =>
      (
        (await (
          await simulator.inject({ url: '/inspect', headers: { accept: 'application/json' } })
        ).json()) as { payments: Payment[] }
      ).payments;
    await until(
      async () => (await payments()).every((p) => p.deliveries.every((d) => d.state === 'acked')),
      60_000,
    );
    const paidRows = async (): Promise<Array<{ order_id: string; pay_num: string }>> => {
      const query = `SELECT order_id, pay_num FROM orders WHERE status = 'paid'`;
      if (options.databaseUrl) {
        const client = new pg.Client({ connectionString: options.databaseUrl });
        await client.connect();
        try {
          return (await client.query<{ order_id: string; pay_num: string }>(query)).rows;
        } finally {
          await client.end();
        }
      }
      const handle = new DatabaseSync(join(dir, 'igepay.db'), { readOnly: true });
      try {
        return handle.prepare(query).all() as Array<{ order_id: string; pay_num: string }>;
      } finally {
        handle.close();
      }
    };
    await until(async () => {
      const forwarded = new Set(received.map((event) => event.orderId));
      return (await paidRows()).every((row) => forwarded.has(row.order_id));
      // PostgreSQL: a delivery claimed by a killed server is retried once its 20 s claim lapses.
    }, 60_000);

    const all = await payments();
    const acknowledged = all.filter(
      (p) => p.deliveries.length > 0 && p.deliveries.every((d) => d.state === 'acked'),
    );
    const paidAtGateway = new Map(all.filter((p) => p.state === 'paid').map((p) => [p.order_id, p.pay_num]));
    const paid = await paidRows();
    const paidInStore = new Map(paid.map((row) => [row.order_id, row.pay_num]));
    const idsByOrder = new Map<string, Set<string>>();
    for (const event of received)
      idsByOrder.set(event.orderId, (idsByOrder.get(event.orderId) ?? new Set()).add(event.id));
    return {
      orders: orderIds.length,
      kills,
      acknowledged: acknowledged.length,
      paidInStore: paid.length,
      paidWithoutPayment: paid
        .filter((row) => paidAtGateway.get(row.order_id) !== row.pay_num)
        .map((row) => row.order_id),
      acknowledgedNotPaid: acknowledged
        .filter((p) => paidInStore.get(p.order_id) !== p.pay_num)
        .map((p) => p.order_id),
      notForwarded: paid.filter((row) => !idsByOrder.has(row.order_id)).map((row) => row.order_id),
      unstableEventIds: [...idsByOrder]
        .filter(([orderId, ids]) => ids.size !== 1 || !ids.has(`evt_paid_${orderId}`))
        .map(([orderId]) => orderId),
      redeliveries: received.length - idsByOrder.size,
      notificationAttempts: all.reduce((sum, p) => sum + p.deliveries.reduce((n, d) => n + d.attempts, 0), 0),
    };
  } finally {
    for (const close of closers.reverse()) await close();
  }
}
