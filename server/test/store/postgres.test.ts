import pg from 'pg';
import { afterEach, beforeEach, describe, expect, inject, it } from 'vitest';
import { buildApp } from '../../src/app.js';
import type { OrderChange, OrderStore } from '../../src/store/order-store.js';
import { PG_MIGRATIONS } from '../../src/store/postgres/migrations.js';
import { PgStore } from '../../src/store/postgres/store.js';
import {
  checkout,
  getOrder,
  newOrder,
  notificationFor,
  postNotify,
  startTestServer,
  TOKEN,
  tempDir,
  testConfig,
} from '../support/harness.js';
import { freshDatabase } from '../support/postgres.js';
import { MATCHING, storeContract } from './contract/index.js';

let database: Awaited<ReturnType<typeof freshDatabase>>;
const opened: OrderStore[] = [];
beforeEach(async () => {
  database = await freshDatabase(inject('postgresUrl'));
});
afterEach(async () => {
  await Promise.all(opened.splice(0).map((store) => store.close()));
  await database.drop();
});

/** Opens a store on this test's database; closed after the test. */
async function open(
  options: Omit<Parameters<typeof PgStore.open>[0], 'connectionString'> = {},
): Promise<PgStore> {
  const store = await PgStore.open({ connectionString: database.url, poolSize: 4, ...options });
  opened.push(store);
  return store;
}

async function sql<T extends pg.QueryResultRow>(text: string, values: unknown[] = []): Promise<T[]> {
  const client = new pg.Client({ connectionString: database.url });
  await client.connect();
  try {
    return (await client.query<T>(text, values)).rows;
  } finally {
    await client.end();
  }
}

/** Resolves with the first change `store` announces for `orderId`, or rejects after `ms`. */
function nextChange(store: OrderStore, orderId: string, ms = 5_000): Promise<OrderChange> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      unsubscribe();
      reject(new Error(`no change of ${orderId} within ${ms} ms`));
    }, ms);
    const unsubscribe = store.onChange((change) => {
      if (change.orderId !== orderId) return;
      clearTimeout(timer);
      unsubscribe();
      resolve(change);
    });
  });
}

const payment = (orderId: string, payNum = 'P1') => ({
  orderId,
  payNum,
  transactionId: 'T1',
  paidAt: 2_123,
  ...MATCHING,
});

storeContract('PgStore', {
  open: (options = {}) =>
    open({ ...(options.sinks && { sinks: options.sinks }), ...(options.mode && { mode: options.mode }) }),
});

describe('PgStore on one database shared by several instances', () => {
  it('answers /healthz 503 when the database reads but takes no writes (read-only)', async () => {
    const store = await open();
    const dir = tempDir();
    const app = await buildApp({ config: testConfig(dir.dir), store, logger: false });
    try {
      expect((await app.inject('/healthz')).statusCode).toBe(200);
      // As a standby or a database out of space: reads answer, every write fails.
      const name = new URL(database.url).pathname.slice(1);
      await sql(`ALTER DATABASE ${name} SET default_transaction_read_only = on`);
      await sql(
        `SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()`,
        [name],
      );
      await new Promise((resolve) => setTimeout(resolve, 1100));
      await expect.poll(async () => (await app.inject('/healthz')).statusCode, { timeout: 10_000 }).toBe(503);
      await expect(store.ping()).resolves.toBeUndefined();
    } finally {
      // The database is dropped after the test, read-only or not.
      await app.close();
      dir.cleanup();
    }
  });

  it("dates and expires orders by the database's clock, whatever this machine's says", async () => {
    // This instance's clock runs 35 minutes ahead.
    const store = await open({ localClock: () => Date.now() + 35 * 60_000 });
    expect(Math.abs(store.now() - Date.now())).toBeLessThan(5_000);
    const dir = tempDir();
    const app = await buildApp({ config: testConfig(dir.dir), store, logger: false });
    try {
      const order = await checkout(app, { channel: 'alipay', product: 'vip' });
      const stored = await store.getOrder(order.order_id);
      expect(Math.abs((stored?.createdAt ?? 0) - Date.now())).toBeLessThan(5_000);
      // 30 minutes to pay, from the database's now: not 5 minutes from expiring already.
      expect((stored?.expiresAt ?? 0) - Date.now()).toBeGreaterThan(29 * 60_000);
      expect((await getOrder(app, order)).json()).toMatchObject({ status: 'pending' });
    } finally {
      await app.close();
      dir.cleanup();
    }
  });

  it('migrates once when instances start together, and refuses a newer schema', async () => {
    await Promise.all([open(), open(), open()]);
    const versions = await sql<{ version: number }>('SELECT version FROM schema_migrations ORDER BY version');
    expect(versions.map((row) => row.version)).toEqual(PG_MIGRATIONS.map((migration) => migration.version));
    await sql(`INSERT INTO schema_migrations VALUES (999, 'from the future', 0)`);
    await expect(PgStore.open({ connectionString: database.url })).rejects.toThrow(
      /newer than this server knows/,
    );
    await expect(PgStore.open({ connectionString: database.url })).rejects.toMatchObject({
      errorName: 'IGEPAY_ERR_SCHEMA_TOO_NEW',
    });
  });

  it("expires orders by the database's clock: an instance whose clock runs 35 minutes ahead expires nothing early", async () => {
    const [ahead, other] = await Promise.all([open(), open()]);
    const now = Date.now();
    await other.createOrder(newOrder('thirty-minutes', { createdAt: now, expiresAt: now + 30 * 60_000 }));
    await other.createOrder(newOrder('overdue', { createdAt: now - 60_000, expiresAt: now - 1_000 }));
    // The instance ahead believes it is 35 minutes later; the database knows it is not.
    expect(await ahead.expireDue(now + 35 * 60_000)).toEqual(['overdue']);
    expect((await other.getOrder('thirty-minutes'))?.status).toBe('pending');
  });

  it('pays an order once when the same notification reaches two instances at once', async () => {
    const [a, b] = await Promise.all([open({ sinks: ['forward'] }), open({ sinks: ['forward'] })]);
    await a.createOrder(newOrder('both'));
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) => (i % 2 ? a : b).markPaid(payment('both', `P${i % 3}`))),
    );
    expect(results.filter((result) => result.outcome === 'paid')).toHaveLength(1);
    // The rest are resends of the winning payment or other payments of the paid order.
    expect(
      results.filter((r) => r.outcome === 'duplicate' || r.outcome === 'already-paid-by-other-payment'),
    ).toHaveLength(19);
    expect(await sql('SELECT id FROM events')).toEqual([{ id: 'evt_paid_both' }]);
    expect(await sql('SELECT event_id, sink FROM deliveries')).toEqual([
      { event_id: 'evt_paid_both', sink: 'forward' },
    ]);
  });

  it("wakes one instance's listeners when another instance changes an order, once each", async () => {
    const [a, b] = await Promise.all([open(), open()]);
    await a.createOrder(newOrder('o1', { expiresAt: 3_000 }));
    await a.createOrder(newOrder('o2'));
    await a.createOrder(newOrder('o3'));
    const seenByA: OrderChange[] = [];
    a.onChange((change) => seenByA.push(change));

    const paidSeenByA = nextChange(a, 'o2');
    await b.markPaid(payment('o2'));
    expect(await paidSeenByA).toEqual({ orderId: 'o2', status: 'paid' });

    const failedSeenByA = nextChange(a, 'o3');
    expect(await b.markFailed('o3', '2001', 5)).toBe(true);
    expect(await failedSeenByA).toEqual({ orderId: 'o3', status: 'failed' });

    const expiredSeenByA = nextChange(a, 'o1');
    expect(await b.expireDue(3_000)).toEqual(['o1']);
    expect(await expiredSeenByA).toEqual({ orderId: 'o1', status: 'expired' });

    // B announced its own changes at once, and did not hear them a second time.
    const seenByB: OrderChange[] = [];
    b.onChange((change) => seenByB.push(change));
    await b.createOrder(newOrder('o4'));
    const heardByA = nextChange(a, 'o4');
    await b.markPaid(payment('o4'));
    await heardByA;
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(seenByB).toEqual([{ orderId: 'o4', status: 'paid' }]);
    expect(seenByA).toEqual([
      { orderId: 'o2', status: 'paid' },
      { orderId: 'o3', status: 'failed' },
      { orderId: 'o1', status: 'expired' },
      { orderId: 'o4', status: 'paid' },
    ]);
  });

  it('hands each due delivery to one instance, and to another only when the claim lapses', async () => {
    const [a, b] = await Promise.all([open({ sinks: ['forward', 'callback'] }), open()]);
    for (let i = 0; i < 30; i++) {
      await a.createOrder(newOrder(`d${i}`));
      await a.markPaid(payment(`d${i}`));
    }
    const now = 10_000;
    const [fromA, fromB] = await Promise.all([
      a.dueDeliveries(now, 40, now + 60_000),
      b.dueDeliveries(now, 40, now + 60_000),
    ]);
    const claimed = [...fromA, ...fromB].map((due) => `${due.event.id}/${due.sink}`);
    expect(claimed).toHaveLength(60);
    expect(new Set(claimed).size).toBe(60);
    // Claimed: nobody gets them again until the claim ends...
    expect(await b.dueDeliveries(now + 59_999, 100, now + 120_000)).toEqual([]);
    // ...and then they are due again (the instance that claimed them died mid-attempt).
    expect(await b.dueDeliveries(now + 60_000, 100, now + 120_000)).toHaveLength(60);
  });

  it('keeps waking listeners through a lost LISTEN connection, and hears other instances again after it', async () => {
    const [a, b] = await Promise.all([open({ fallbackPollMs: 100 }), open()]);
    await b.createOrder(newOrder('before'));
    await b.createOrder(newOrder('during'));
    let missed = 0;
    a.onMissedChanges((): void => {
      missed++;
    });
    const cut = await sql<{ cut: boolean }>(
      `SELECT pg_terminate_backend(pid) AS cut FROM pg_stat_activity
       WHERE application_name = 'igepay-listen' AND datname = current_database()`,
    );
    expect(cut.length).toBe(2);
    // Re-reads are asked for at once, and then every fallbackPollMs until the feed is back.
    await expect.poll(() => missed, { timeout: 5_000 }).toBeGreaterThanOrEqual(2);
    // Once reconnected, another instance's change is heard again.
    await expect
      .poll(
        async () =>
          (
            await sql(
              `SELECT 1 FROM pg_stat_activity WHERE application_name = 'igepay-listen' AND datname = current_database()`,
            )
          ).length,
        { timeout: 10_000 },
      )
      .toBe(2);
    const heard = nextChange(a, 'during');
    await b.markPaid(payment('during'));
    expect(await heard).toEqual({ orderId: 'during', status: 'paid' });
  });

  it('answers 503 (not success, not a crash) while the database is gone, so igepay resends', async () => {
    const store = await open({ fallbackPollMs: 100 });
    const server = await startTestServer({ store });
    try {
      const order = await checkout(server.app, { channel: 'alipay', price: '12.30' });
      await database.drop();
      const refused = await postNotify(server.app, notificationFor(order));
      expect(refused.statusCode).toBe(503);
      // igepay's endpoint answers in igepay's terms: anything but `success` means "send again".
      expect(refused.body).toBe('fail');
      const status = await server.app.inject({
        url: `/api/orders/${order.order_id}?client_secret=${order.client_secret}`,
      });
      expect(status.statusCode).toBe(503);
      expect(status.json()).toMatchObject({ code: 5030 });
      // Nothing reached a log line but the fault itself: no stack of ours, no secret.
      expect(JSON.stringify(server.logs)).not.toContain(TOKEN);
    } finally {
      await server.close();
    }
  });

  it("answers a held long poll while its instance's LISTEN connection keeps being cut", async () => {
    const a = await open({ fallbackPollMs: 100 });
    const b = await open();
    const server = await startTestServer({ store: a });
    let cutting = true;
    try {
      const order = await checkout(server.app, { channel: 'alipay', price: '12.30' });
      const held = server.app.inject({
        url: `/api/orders/${order.order_id}?client_secret=${order.client_secret}&wait=20`,
      });
      // Cut every LISTEN connection again and again, so NOTIFYs go unheard.
      const cutter = (async () => {
        while (cutting) {
          await sql(
            `SELECT pg_terminate_backend(pid) FROM pg_stat_activity
             WHERE application_name = 'igepay-listen' AND datname = current_database()`,
          );
          await new Promise((resolve) => setTimeout(resolve, 30));
        }
      })();
      const stored = await b.getOrder(order.order_id);
      await new Promise((resolve) => setTimeout(resolve, 300));
      await b.markPaid({
        orderId: order.order_id,
        payNum: 'P-cut',
        transactionId: null,
        paidAt: Date.now(),
        requestKey: stored?.requestKey ?? '',
        priceCents: 1230,
        echo: { key: stored?.requestKey ?? '', orderUid: null },
      });
      // The poll re-reads the store on its own (every 100 ms here): it answers long before its 20 s.
      const answer = await Promise.race([
        held,
        new Promise<'still held'>((resolve) => setTimeout(() => resolve('still held'), 5_000)),
      ]);
      cutting = false;
      await cutter;
      expect(answer === 'still held' ? answer : answer.json().status).toBe('paid');
    } finally {
      cutting = false;
      await server.close();
    }
  });
});
