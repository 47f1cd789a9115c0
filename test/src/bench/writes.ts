/**
 * `pnpm bench:writes`: what each part of an order's write costs the SQLite writer thread, in
 * CPU µs per order and per payment, with the schema as the store makes it and groups of writes
 * committed as the writer commits them (one IMMEDIATE transaction, fsynced, per group).
 * Each variant runs on its own copy of one database already holding `BENCH_ORDERS` orders, so
 * the indexes are as deep as a shop's; the variants alternate, and medians are reported.
 *
 * What it tells: which index or statement on the commit path pays for itself (issue 30).
 */
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { SqliteStore } from '@igepay/server';
import { nameWords } from '../../../server/src/store/sqlite/name-words.js';

const EXISTING = Number(process.env.BENCH_ORDERS ?? 300_000);
const WRITES = Number(process.env.BENCH_WRITES ?? 20_000);
const GROUP = Number(process.env.BENCH_GROUP ?? 25);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);

interface Variant {
  readonly name: string;
  /** Schema changes made before the run (indexes dropped). */
  readonly before?: readonly string[];
  /** Index the names in the same commit as the order (as the store does now). */
  readonly namesInCommit: boolean;
  /** Index the names afterwards, this many orders to a transaction (off the commit path). */
  readonly namesBatched?: number;
}

const VARIANTS: readonly Variant[] = [
  { name: 'as the store writes it now', namesInCommit: true },
  { name: 'without the name words', namesInCommit: false },
  { name: 'name words batched, 500 a transaction, after', namesInCommit: false, namesBatched: 500 },
  {
    name: 'name words, FTS5 automerge off',
    namesInCommit: true,
    before: ["INSERT INTO order_name_grams (order_name_grams, rank) VALUES ('automerge', 0)"],
  },
  {
    name: 'name words, FTS5 automerge 16',
    namesInCommit: true,
    before: ["INSERT INTO order_name_grams (order_name_grams, rank) VALUES ('automerge', 16)"],
  },
  {
    name: 'without orders_by_created',
    namesInCommit: true,
    before: ['DROP INDEX orders_by_created'],
  },
  {
    name: 'without orders_pending_by_expiry',
    namesInCommit: true,
    before: ['DROP INDEX orders_pending_by_expiry'],
  },
  {
    name: 'without the name words and orders_by_created',
    namesInCommit: false,
    before: ['DROP INDEX orders_by_created'],
  },
];

const INSERT = `
  INSERT INTO orders (order_id, client_secret_hash, status, price_cents, channel, product, order_name,
    order_uid, request_key, created_at, expires_at, updated_at, return_to)
  VALUES (?, ?, 'pending', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`;
const PAY = `
  UPDATE orders SET status = 'paid', paid_at = ?, pay_num = ?, transaction_id = ?,
    late = (status <> 'pending' OR expires_at <= ?), updated_at = ?
  WHERE order_id = ? AND status <> 'paid' AND price_cents = ? RETURNING late`;
const NAME = 'INSERT INTO order_name_grams (words, order_id) VALUES (?, ?)';

const id = (i: number) => `ord_${String(i).padStart(12, '0')}`;
const NAMES = ['会员充值 30 天', 'Coffee mug', '年度会员', '订单 1288 号', 'VIP会员'];

function open(path: string): DatabaseSync {
  const db = new DatabaseSync(path);
  db.exec('PRAGMA busy_timeout = 5000; PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL');
  db.exec('PRAGMA cache_size = -8192');
  return db;
}

/** Writes `count` orders from `first` in groups of `GROUP`, each group committed; CPU µs used. */
function insertOrders(db: DatabaseSync, variant: Variant, first: number, count: number): number {
  const insert = db.prepare(INSERT);
  const name = db.prepare(NAME);
  const started = process.cpuUsage();
  for (let at = first; at < first + count; at += GROUP) {
    db.exec('BEGIN IMMEDIATE');
    for (let i = at; i < Math.min(at + GROUP, first + count); i++) {
      const orderName = NAMES[i % NAMES.length] ?? 'x';
      const now = 1_700_000_000_000 + i;
      insert.run(
        id(i),
        'h'.repeat(64),
        1250,
        'alipay',
        null,
        orderName,
        null,
        'k'.repeat(32),
        now,
        now + 7_200_000,
        now,
        null,
      );
      if (variant.namesInCommit) name.run(nameWords(orderName), id(i));
    }
    db.exec('COMMIT');
  }
  if (variant.namesBatched) {
    const rows = db.prepare('SELECT order_id, order_name FROM orders WHERE order_id >= ? AND order_id < ?');
    for (let at = first; at < first + count; at += variant.namesBatched) {
      db.exec('BEGIN IMMEDIATE');
      for (const row of rows.all(id(at), id(Math.min(at + variant.namesBatched, first + count))) as Array<{
        order_id: string;
        order_name: string;
      }>) {
        name.run(nameWords(row.order_name), row.order_id);
      }
      db.exec('COMMIT');
    }
  }
  const used = process.cpuUsage(started);
  return used.user + used.system;
}

/** Pays `count` orders from `first` in groups; CPU µs used. */
function payOrders(db: DatabaseSync, first: number, count: number): number {
  const pay = db.prepare(PAY);
  const started = process.cpuUsage();
  for (let at = first; at < first + count; at += GROUP) {
    db.exec('BEGIN IMMEDIATE');
    for (let i = at; i < Math.min(at + GROUP, first + count); i++) {
      const now = 1_800_000_000_000 + i;
      pay.get(now, `P${i}`, `T${i}`, now, now, id(i), 1250);
    }
    db.exec('COMMIT');
  }
  const used = process.cpuUsage(started);
  return used.user + used.system;
}

const dir = mkdtempSync(join(tmpdir(), 'igepay-bench-writes-'));
try {
  const template = join(dir, 'template.db');
  await (await SqliteStore.open({ path: template })).close();
  {
    const db = open(template);
    process.stdout.write(`seeding ${EXISTING} orders...\n`);
    db.exec('PRAGMA synchronous = OFF');
    insertOrders(db, { name: 'seed', namesInCommit: true }, 0, EXISTING);
    db.exec('PRAGMA wal_checkpoint(TRUNCATE)');
    db.close();
  }
  const results = new Map<string, { insert: number[]; pay: number[] }>();
  for (let round = 0; round < ROUNDS; round++) {
    for (const variant of VARIANTS) {
      const path = join(dir, 'run.db');
      rmSync(path, { force: true });
      rmSync(`${path}-wal`, { force: true });
      rmSync(`${path}-shm`, { force: true });
      copyFileSync(template, path);
      const db = open(path);
      for (const statement of variant.before ?? []) db.exec(statement);
      const inserted = insertOrders(db, variant, EXISTING, WRITES);
      const paid = payOrders(db, EXISTING, WRITES);
      db.close();
      const figures = results.get(variant.name) ?? { insert: [], pay: [] };
      figures.insert.push(inserted / WRITES);
      figures.pay.push(paid / WRITES);
      results.set(variant.name, figures);
    }
  }
  const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? 0;
  const first = results.get(VARIANTS[0]?.name ?? '');
  const base = first ? median(first.insert) : 1;
  process.stdout.write(
    [
      '',
      `Node ${process.version}; ${EXISTING} orders on disk; ${WRITES} orders written and paid per variant, ${GROUP} to a commit (fsynced); medians of ${ROUNDS} rounds`,
      '',
      '| writes of an order | CPU µs per order | vs now | CPU µs per payment |',
      '| --- | ---: | ---: | ---: |',
      ...VARIANTS.map((variant) => {
        const figures = results.get(variant.name) ?? { insert: [], pay: [] };
        const insert = median(figures.insert);
        return `| ${variant.name} | ${insert.toFixed(1)} | ${(insert / base).toFixed(2)}x | ${median(figures.pay).toFixed(1)} |`;
      }),
      '',
    ].join('\n'),
  );
} finally {
  rmSync(dir, { recursive: true, force: true });
}
