/**
 * `pnpm bench:admin [--engine postgres] [--orders N]`: the dashboard's orders list on a store of
 * a million orders (90 days of them, a third paid), through the real server over loopback HTTP,
 * signed in. Each query is asked 200 times, one at a time; the baseline in the same run is
 * `GET /healthz` (a read and a write probe of the same store). Prints p50 and p99 per query,
 * and the time and size of the upgrade that builds the name index.
 */
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync, type SupportedValueType } from 'node:sqlite';
import { parseArgs } from 'node:util';
import { buildApp, hashPassword, loadConfig, type OrderStore, SqliteStore } from '@igepay/server';
import { PgStore } from '@igepay/server/postgres';
import pg from 'pg';
import type { Migration } from '../../../server/dist/store/migration.js';
import { migratePg, PG_MIGRATIONS } from '../../../server/dist/store/postgres/migrations.js';
import { migrate, SQLITE_MIGRATIONS } from '../../../server/dist/store/sqlite/migrations.js';
import { scratchDatabase } from '../postgres-cluster.js';
import { BENCH_TOKEN } from './token.js';

const { values } = parseArgs({
  options: { engine: { type: 'string', default: 'sqlite' }, orders: { type: 'string', default: '1000000' } },
});
const ENGINE = values.engine === 'postgres' ? 'postgres' : 'sqlite';
const ORDERS = Number(values.orders);
const ROUNDS = 200;
const DAY = 86_400_000;
const NOW = Date.now();
const PASSWORD = 'bench password 12345';

/**
 * The orders are written into a store of the schema before the name index (migration 12), as
 * a store upgraded from an older release holds them; opening the store then builds the index,
 * and how long that takes is printed.
 */
const beforeNameIndex = (migration: Migration) => migration.version < 12;

/** One order's columns, as the seed writes them straight into the table (the store is migrated first). */
function row(i: number): unknown[] {
  const createdAt = NOW - Math.floor((i / ORDERS) * 90 * DAY);
  const paid = i % 3 === 0;
  // Unpaid orders expire after 30 minutes: the older ones are expired already, as the server's
  // sweep would have left them (overdue ones would have it expiring them during the run).
  const pending = !paid && i % 3 === 2 && createdAt > NOW - 30 * 60_000;
  return [
    `o${String(ORDERS - i).padStart(8, '0')}${((i * 2654435761) % 2 ** 32).toString(16).padStart(8, '0')}`,
    '0'.repeat(64),
    paid ? 'paid' : pending ? 'pending' : 'expired',
    100 + (i % 5000),
    i % 2 === 0 ? 'wechat' : 'alipay',
    i % 4 === 0 ? 'vip' : null,
    i % 4 === 0 ? 'VIP会员（月卡）' : `订单 ${i % 1000} 号`,
    i % 10 === 0 ? `customer-${i}` : null,
    'k'.repeat(32),
    createdAt,
    createdAt + 30 * 60_000,
    paid ? createdAt + 60_000 : null,
    createdAt,
  ];
}
const COLUMNS =
  'order_id, client_secret_hash, status, price_cents, channel, product, order_name, order_uid, request_key, created_at, expires_at, paid_at, updated_at';

async function seedSqlite(path: string): Promise<void> {
  const db = new DatabaseSync(path);
  db.exec('PRAGMA journal_mode = WAL');
  migrate(db, SQLITE_MIGRATIONS.filter(beforeNameIndex));
  const insert = db.prepare(
    `INSERT INTO orders (${COLUMNS}) VALUES (${COLUMNS.split(',')
      .map(() => '?')
      .join(',')})`,
  );
  db.exec('BEGIN');
  for (let i = 0; i < ORDERS; i++) insert.run(...(row(i) as SupportedValueType[]));
  db.exec('COMMIT');
  db.exec('ANALYZE');
  db.close();
}

async function seedPostgres(url: string): Promise<void> {
  const pool = new pg.Pool({ connectionString: url });
  await migratePg(pool, PG_MIGRATIONS.filter(beforeNameIndex));
  await pool.end();
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  const width = COLUMNS.split(',').length;
  for (let start = 0; start < ORDERS; start += 2000) {
    const rows = Array.from({ length: Math.min(2000, ORDERS - start) }, (_, k) => row(start + k));
    const params = rows.flat();
    const tuples = rows.map(
      (_, r) => `(${Array.from({ length: width }, (_, c) => `$${r * width + c + 1}`).join(',')})`,
    );
    await client.query(`INSERT INTO orders (${COLUMNS}) VALUES ${tuples.join(',')}`, params);
  }
  await client.query('ANALYZE orders');
  await client.end();
}

/** The store's size on disk, in MB: the file (SQLite, checkpointed at close) or the database. */
async function sizeOf(): Promise<number> {
  if (!scratch) return statSync(join(dir, 'igepay.db')).size / 1e6;
  const client = new pg.Client({ connectionString: scratch.url });
  await client.connect();
  const { rows } = await client.query<{ bytes: string }>(
    'SELECT pg_database_size(current_database()) AS bytes',
  );
  await client.end();
  return Number(rows[0]?.bytes) / 1e6;
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;
}

const dir = mkdtempSync(join(tmpdir(), 'igepay-bench-admin-'));
const scratch =
  ENGINE === 'postgres'
    ? await scratchDatabase('igepay_bench_admin', process.env.BENCH_DATABASE_URL)
    : undefined;
const databaseUrl = scratch ? scratch.url : `sqlite:${join(dir, 'igepay.db')}`;
const seeded = performance.now();
console.log(`seeding ${ORDERS} orders (${ENGINE})...`);
if (scratch) await seedPostgres(scratch.url);
else await seedSqlite(join(dir, 'igepay.db'));
console.log(
  `seeded in ${((performance.now() - seeded) / 1000).toFixed(1)} s: ${(await sizeOf()).toFixed(0)} MB`,
);
const upgraded = performance.now();
if (scratch) await (await PgStore.open({ connectionString: scratch.url })).close();
else await (await SqliteStore.open({ path: join(dir, 'igepay.db') })).close();
console.log(
  `upgraded (the name index) in ${((performance.now() - upgraded) / 1000).toFixed(1)} s: ${(await sizeOf()).toFixed(0)} MB`,
);

const config = loadConfig({
  IGEPAY_UID: '10001',
  IGEPAY_TOKEN: BENCH_TOKEN,
  PUBLIC_URL: 'http://shop.example.com',
  DATABASE_URL: databaseUrl,
  IGEPAY_RATE_LIMIT: '0',
  IGEPAY_ADMIN_PASSWORD_HASH: await hashPassword(PASSWORD),
});
const app = await buildApp({ config, logger: false });
await app.listen({ port: 0, host: '127.0.0.1' });
const address = app.server.address();
const base = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
try {
  const signIn = await fetch(`${base}/admin/api/session`, {
    method: 'POST',
    headers: { origin: 'http://shop.example.com', 'content-type': 'application/json' },
    body: JSON.stringify({ password: PASSWORD }),
  });
  const cookie = (signIn.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
  const store: OrderStore = app.igepay.store;
  // The newest order of 45 days ago: a page there starts half-way down the table.
  const middle = (await store.listOrders({ until: NOW - 45 * DAY, limit: 1 }))[0];
  const someId = middle?.orderId ?? '';
  const queries: Array<[string, string]> = [
    ['baseline: GET /healthz', '/healthz'],
    ['first page (50)', '/admin/api/orders'],
    ['a page 45 days back (keyset)', `/admin/api/orders?after=${middle?.createdAt}.${someId}`],
    ['paid by WeChat Pay', '/admin/api/orders?status=paid&channel=wechat'],
    [
      'the last 7 days of one product',
      `/admin/api/orders?product=vip&from=${new Date(NOW - 7 * DAY).toISOString()}`,
    ],
    ['an order id', `/admin/api/orders?q=${someId}`],
    ['a customer id', '/admin/api/orders?q=customer-500000'],
    // Names: one that 1 order in 1,300 has, one that none has (the whole table, were it a scan),
    // a word three orders in four have, one character, and one as rare made of common pairs.
    ['a part of a name', `/admin/api/orders?q=${encodeURIComponent('订单 999 号')}`],
    ['a name no order has', `/admin/api/orders?q=${encodeURIComponent('咖啡豆')}`],
    ['a word most names have', `/admin/api/orders?q=${encodeURIComponent('订单')}`],
    ['one character', `/admin/api/orders?q=${encodeURIComponent('卡')}`],
    ['a name whose every pair is common', `/admin/api/orders?q=${encodeURIComponent('订单 1 号')}`],
    [
      'a rare name, paid by Alipay',
      `/admin/api/orders?q=${encodeURIComponent('订单 999 号')}&status=paid&channel=alipay`,
    ],
    ['the overview (30 days of takings)', '/admin/api/overview'],
    ["one order's timeline", `/admin/api/orders/${someId}`],
  ];
  console.log(
    `\n${ENGINE}, ${ORDERS.toLocaleString('en')} orders, ${ROUNDS} requests each, one at a time:\n`,
  );
  console.log('| query | p50 ms | p99 ms | p99 / baseline p99 |');
  console.log('| --- | ---: | ---: | ---: |');
  let baseline = Number.NaN;
  for (const [name, path] of queries) {
    const times: number[] = [];
    for (let i = 0; i < ROUNDS + 10; i++) {
      const started = performance.now();
      const response = await fetch(`${base}${path}`, { headers: { cookie } });
      await response.arrayBuffer();
      if (response.status !== 200) throw new Error(`${path}: ${response.status}`);
      if (i >= 10) times.push(performance.now() - started); // the first ten warm up
    }
    times.sort((a, b) => a - b);
    const p99 = percentile(times, 99);
    if (Number.isNaN(baseline)) baseline = p99;
    console.log(
      `| ${name} | ${percentile(times, 50).toFixed(1)} | ${p99.toFixed(1)} | ${(p99 / baseline).toFixed(2)}x |`,
    );
  }
} finally {
  await app.close();
  await scratch?.release();
  rmSync(dir, { recursive: true, force: true });
}
