import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { DatabaseSync } from 'node:sqlite';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SQLITE_MIGRATIONS } from '../../src/store/sqlite/migrations.js';
import { SqliteStore } from '../../src/store/sqlite/store.js';
import { WRITER_THREAD_NAME } from '../../src/store/sqlite/writer.js';
import { newOrder, tempDir } from '../support/harness.js';
import { storeContract } from './contract/index.js';

let dir: ReturnType<typeof tempDir>;
let path: string;
beforeEach(() => {
  dir = tempDir();
  path = `${dir.dir}/nested/folder/igepay.db`;
});
afterEach(() => dir.cleanup());

describe('SqliteStore', () => {
  it('creates its folder, uses WAL with full sync, and records the schema version', async () => {
    const store = await SqliteStore.open({ path });
    await store.ping();
    await store.close();
    const db = new DatabaseSync(path, { readOnly: true });
    expect(db.prepare('PRAGMA journal_mode').get()).toEqual({ journal_mode: 'wal' });
    expect(db.prepare('SELECT MAX(version) AS v FROM schema_migrations').get()).toEqual({
      v: SQLITE_MIGRATIONS.at(-1)?.version,
    });
    db.close();
  });

  it('makes its database, WAL and shared-memory files readable by their owner only, as backups are', async () => {
    const store = await SqliteStore.open({ path });
    await store.createOrder(newOrder('private-1'));
    for (const file of [path, `${path}-wal`, `${path}-shm`]) {
      expect((statSync(file).mode & 0o777).toString(8), file).toBe('600');
    }
    await store.close();
  });

  it('runs its writes on a thread of its own, named for them where the runtime names threads', async () => {
    const names = () =>
      readdirSync(`/proc/${process.pid}/task`).map((tid) => {
        try {
          return readFileSync(`/proc/${process.pid}/task/${tid}/comm`, 'utf8').trim();
        } catch {
          return ''; // ended meanwhile
        }
      });
    const before = names();
    const store = await SqliteStore.open({ path });
    // Node names a worker's OS thread after it from Node 24 on; before, every thread is "node",
    // and the writer shows only as one thread more.
    if (Number(process.versions.node.split('.')[0]) >= 24) {
      expect(names()).toContain(WRITER_THREAD_NAME.slice(0, 15));
    } else {
      expect(names().length).toBeGreaterThan(before.length);
    }
    await store.close();
  });

  it('migrates only once across close and reopen', async () => {
    await (await SqliteStore.open({ path })).close();
    await (await SqliteStore.open({ path })).close();
    const db = new DatabaseSync(path, { readOnly: true });
    expect(db.prepare('SELECT COUNT(*) AS n FROM schema_migrations').get()).toEqual({
      n: SQLITE_MIGRATIONS.length,
    });
    db.close();
  });

  it('upgrades a database of the first version, keeping its orders', async () => {
    const { mkdirSync } = await import('node:fs');
    const { dirname } = await import('node:path');
    mkdirSync(dirname(path), { recursive: true });
    const db = new DatabaseSync(path);
    db.exec(
      'CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at INTEGER NOT NULL) STRICT',
    );
    db.exec(SQLITE_MIGRATIONS[0]?.sql ?? '');
    db.prepare('INSERT INTO schema_migrations VALUES (1, ?, 0)').run(SQLITE_MIGRATIONS[0]?.name ?? '');
    db.prepare(
      `INSERT INTO orders (order_id, client_secret_hash, status, price_cents, channel, order_name, request_key, created_at, expires_at, updated_at)
       VALUES ('old', ?, 'pending', 100, 'wechat', '旧的订单 🍵x', ?, 1, 2, 1)`,
    ).run('h'.repeat(64), 'k'.repeat(32));
    db.exec(`INSERT INTO unapplied_notifications (id, fingerprint, reason, order_id, price, fields, received_at)
             VALUES (7, 'f', 'unknown-order', 'ghost', '1.00', '{}', 1)`);
    db.close();
    const store = await SqliteStore.open({ path });
    expect(await store.getOrder('old')).toMatchObject({ orderId: 'old', priceCents: 100, returnTo: null });
    await store.createOrder(newOrder('new', { returnTo: 'https://shop.example/cart' }));
    expect((await store.getOrder('new'))?.returnTo).toBe('https://shop.example/cart');
    // The names written before the search's index are in it, as the writer would have put them.
    for (const search of ['的订', '🍵', '🍵x', ' ', 'x', '旧的订单 🍵x']) {
      expect((await store.listOrders({ search })).map((o) => o.orderId)).toEqual(['old']);
    }
    expect(await store.listOrders({ search: '订的' })).toEqual([]);
    // A notification kept before keeps the id its event was announced under.
    expect(await store.listUnapplied()).toMatchObject([{ id: 7, eventId: 'evt_unapplied_7', suppressed: 0 }]);
    await store.close();
  });

  it("names a kept notification's event the same in every database that keeps it, and only that one", async () => {
    const notification = (payNum: string) => ({
      reason: 'unknown-order' as const,
      orderId: 'ghost',
      price: '1.00',
      payNum,
      code: '0000',
      fields: { order_id: 'ghost', price: '1.00', sign: 's', pay_num: payNum },
      receivedAt: 1_000,
    });
    const ids = async (file: string, payNums: string[]) => {
      const store = await SqliteStore.open({ path: `${dir.dir}/${file}`, sinks: ['forward'] });
      for (const payNum of payNums) await store.recordUnapplied(notification(payNum));
      const kept = (await store.listUnapplied()).map((record) => record.eventId);
      await store.close();
      return kept;
    };
    // A restored backup numbers its rows again from where it was: the ids do not follow the rows.
    const [first, second] = await ids('a.db', ['P1', 'P2']);
    const [other] = await ids('b.db', ['P2']);
    expect(other).toBe(second);
    expect(first).not.toBe(second);
  });

  it('refuses a database written by a newer version', async () => {
    const store = await SqliteStore.open({ path });
    await store.close();
    const db = new DatabaseSync(path);
    db.prepare('INSERT INTO schema_migrations VALUES (999, ?, 0)').run('from the future');
    db.close();
    await expect(SqliteStore.open({ path })).rejects.toThrow(/newer than this server knows/);
    await expect(SqliteStore.open({ path })).rejects.toMatchObject({
      errorName: 'IGEPAY_ERR_SCHEMA_TOO_NEW',
    });
  });

  it('resolves a write only after it is committed to the file', async () => {
    const store = await SqliteStore.open({ path });
    const written = store.createOrder(newOrder('durable'));
    // Another connection cannot see the order before the promise resolves...
    const reader = new DatabaseSync(path, { readOnly: true });
    const count = () =>
      (reader.prepare("SELECT COUNT(*) AS n FROM orders WHERE order_id = 'durable'").get() as { n: number })
        .n;
    expect(count()).toBe(0);
    await written;
    // ...and sees it as soon as it has.
    expect(count()).toBe(1);
    reader.close();
    await store.close();
  });

  it('takes a burst of 200,000 writes submitted at once', async () => {
    const store = await SqliteStore.open({ path });
    await Promise.all(Array.from({ length: 200_000 }, (_, i) => store.createOrder(newOrder(`burst${i}`))));
    expect(await store.getOrder('burst199999')).toBeDefined();
    await store.close();
  });

  it('finds a name most orders have by walking the list, and a rare one among them by its index', async () => {
    const store = await SqliteStore.open({ path });
    // More orders hold 订单 than a search reads and sorts (20,000): it walks the list instead.
    await Promise.all(
      Array.from({ length: 20_005 }, (_, i) =>
        store.createOrder(
          newOrder(`c${String(i).padStart(5, '0')}`, {
            createdAt: 1_000 + i,
            orderName: i === 7 ? '特别订单' : `订单 ${i}`,
            channel: i % 2 ? 'alipay' : 'wechat',
          }),
        ),
      ),
    );
    const ids = async (filter: Parameters<SqliteStore['listOrders']>[0]) =>
      (await store.listOrders(filter)).map((o) => o.orderId);
    expect(await ids({ search: '订单', limit: 3 })).toEqual(['c20004', 'c20003', 'c20002']);
    expect(await ids({ search: '订单', limit: 2, channel: 'alipay', until: 1_000 + 20_002 })).toEqual([
      'c20001',
      'c19999',
    ]);
    expect(
      await ids({ search: '订单 1999', limit: 2, after: { createdAt: 1_000 + 19_999, orderId: 'c19999' } }),
    ).toEqual(['c19998', 'c19997']);
    expect(await ids({ search: '特别' })).toEqual(['c00007']);
    expect(await ids({ search: '单 2000' })).toEqual([
      'c20004',
      'c20003',
      'c20002',
      'c20001',
      'c20000',
      'c02000',
    ]);
    await store.close();
  });

  it('finds an order whose name is not indexed yet, and indexes it once the writer may write', async () => {
    await (await SqliteStore.open({ path, mode: 'sandbox' })).close();
    // As a stop leaves it: the order committed, its name queued, its words not written yet.
    const raw = new DatabaseSync(path);
    raw.exec('PRAGMA busy_timeout = 5000');
    raw
      .prepare(`
        INSERT INTO orders (order_id, client_secret_hash, status, price_cents, channel, order_name, request_key,
          created_at, expires_at, updated_at)
        VALUES ('queued-1', ?, 'pending', 1230, 'alipay', '手冲咖啡豆', ?, 1000, 61000, 1000)`)
      .run('h'.repeat(64), 'k'.repeat(32));
    raw.prepare(`INSERT INTO order_names_pending (order_id) VALUES ('queued-1')`).run();
    // The index's word for 咖啡: the hex of its UTF-8 (name-words.js).
    const word = Buffer.from('咖啡').toString('hex').toUpperCase();
    const words = () =>
      raw.prepare(`SELECT count(*) AS n FROM order_name_grams WHERE order_name_grams MATCH ?`).get(word) as {
        n: number;
      };
    // Another connection holds the write lock: the writer cannot index the name meanwhile.
    raw.exec('BEGIN IMMEDIATE');
    const store = await SqliteStore.open({ path, mode: 'sandbox' });
    const found = async () => (await store.listOrders({ search: '咖啡' })).map((order) => order.orderId);
    try {
      expect(words().n).toBe(0);
      expect(await found()).toEqual(['queued-1']);
    } finally {
      raw.exec('COMMIT');
    }
    const deadline = Date.now() + 10_000;
    while (words().n === 0) {
      if (Date.now() > deadline) throw new Error('the name was never indexed');
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    expect(raw.prepare('SELECT count(*) AS n FROM order_names_pending').get()).toEqual({ n: 0 });
    expect(await found()).toEqual(['queued-1']);
    await store.close();
    raw.close();
  });

  it('finds every matching order while the writer moves names from the queue into the index', async () => {
    const store = await SqliteStore.open({ path });
    const count = 12_000;
    await Promise.all(
      Array.from({ length: count }, (_, i) =>
        store.createOrder(
          newOrder(`m${String(i).padStart(5, '0')}`, { createdAt: 1_000 + i, orderName: `杯 ${i}` }),
        ),
      ),
    );
    // Each search reads the index and the queue; the writer empties the queue 500 names at a time.
    const expected = Array.from({ length: count }, (_, i) => i)
      .filter((i) => String(i).includes('77'))
      .reverse()
      .map((i) => `m${String(i).padStart(5, '0')}`);
    const raw = new DatabaseSync(path, { readOnly: true });
    const waiting = () =>
      (raw.prepare('SELECT count(*) AS n FROM order_names_pending').get() as { n: number }).n;
    let searches = 0;
    do {
      const found = (await store.listOrders({ search: '77', limit: 500 })).map((order) => order.orderId);
      expect(found).toEqual(expected);
      searches += 1;
    } while (waiting() > 0 || searches < 5);
    raw.close();
    await store.close();
  });

  it("opens SQLite without Node 22's ExperimentalWarning for it, and keeps every other warning", () => {
    // A process of its own: this one may have loaded node:sqlite already (and warned then).
    const script = `
      const { openDatabase } = await import(${JSON.stringify(new URL('../../src/store/sqlite/sqlite.js', import.meta.url).href)});
      openDatabase(':memory:').close();
      process.emitWarning('an experiment of our own', 'ExperimentalWarning');
      process.emitWarning('SQLite said this, but not as an experiment');`;
    const { stderr, status } = spawnSync(process.execPath, ['--input-type=module', '-e', script], {
      encoding: 'utf8',
    });
    expect(status).toBe(0);
    expect(stderr).not.toMatch(/SQLite is an experimental feature/);
    expect(stderr).toMatch(/ExperimentalWarning: an experiment of our own/);
    expect(stderr).toMatch(/Warning: SQLite said this, but not as an experiment/);
  });
});

storeContract('SqliteStore', {
  open: (options = {}) =>
    SqliteStore.open({
      path,
      ...(options.sinks && { sinks: options.sinks }),
      ...(options.mode && { mode: options.mode }),
    }),
});
