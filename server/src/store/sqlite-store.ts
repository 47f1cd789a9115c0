import { createHash } from 'node:crypto';
import { EventEmitter } from 'node:events';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { OrderStatus } from '@igepay/shared';
import BetterSqlite3, { type Database, type Statement } from 'better-sqlite3';
import { GroupCommit } from './group-commit.js';
import { type Migration, SQLITE_MIGRATIONS } from './migrations.js';
import type {
  MarkPaidResult,
  NewOrder,
  OrderChange,
  OrderRecord,
  OrderStore,
  Payment,
  UnappliedNotification,
  UnappliedRecord,
} from './store.js';

interface OrderRow {
  order_id: string;
  client_secret_hash: string;
  status: OrderRecord['status'];
  price_cents: number;
  channel: OrderRecord['channel'];
  product: string | null;
  order_name: string | null;
  order_uid: string | null;
  request_key: string;
  created_at: number;
  expires_at: number;
  paid_at: number | null;
  pay_num: string | null;
  transaction_id: string | null;
  late: number;
  failure_code: string | null;
}

interface UnappliedRow {
  id: number;
  reason: UnappliedRecord['reason'];
  order_id: string;
  price: string;
  pay_num: string | null;
  code: string | null;
  fields: string;
  received_at: number;
}

function toOrder(row: OrderRow): OrderRecord {
  return {
    orderId: row.order_id,
    clientSecretHash: row.client_secret_hash,
    status: row.status,
    priceCents: row.price_cents,
    channel: row.channel,
    product: row.product,
    orderName: row.order_name,
    orderUid: row.order_uid,
    requestKey: row.request_key,
    createdAt: row.created_at,
    expiresAt: row.expires_at,
    paidAt: row.paid_at,
    payNum: row.pay_num,
    transactionId: row.transaction_id,
    late: row.late === 1,
    failureCode: row.failure_code,
  };
}

/** Options for {@link SqliteStore.open}. */
export interface SqliteStoreOptions {
  /** The database file; its folder is created if missing. */
  readonly path: string;
  /** How long to gather writes into one commit; `0` (default) gathers one event-loop turn. */
  readonly groupCommitWindowMs?: number;
}

/** Runs the migrations the database has not seen yet, each in its own transaction. */
export function migrate(db: Database, migrations: readonly Migration[]): void {
  db.exec(
    'CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at INTEGER NOT NULL) STRICT',
  );
  const row = db.prepare('SELECT MAX(version) AS version FROM schema_migrations').get() as {
    version: number | null;
  };
  const current = row.version ?? 0;
  const latest = migrations.at(-1)?.version ?? 0;
  if (current > latest) {
    throw new Error(
      `the database is at schema version ${current}, newer than this server knows (${latest}); upgrade the server`,
    );
  }
  const record = db.prepare('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)');
  for (const migration of migrations) {
    if (migration.version <= current) continue;
    db.transaction(() => {
      db.exec(migration.sql);
      record.run(migration.version, migration.name, Date.now());
    }).immediate();
  }
}

/**
 * The embedded store: one SQLite file (better-sqlite3) in WAL mode with `synchronous=FULL`,
 * so a commit is on disk before its promise resolves. Writes go through {@link GroupCommit}.
 */
export class SqliteStore implements OrderStore {
  readonly #db: Database;
  readonly #writes: GroupCommit;
  readonly #changes = new EventEmitter();
  readonly #sql: Record<
    | 'insert'
    | 'get'
    | 'markPaid'
    | 'markFailed'
    | 'dueIds'
    | 'expire'
    | 'insertUnapplied'
    | 'listUnapplied'
    | 'ping',
    Statement
  >;

  private constructor(db: Database, options: SqliteStoreOptions) {
    this.#db = db;
    this.#writes = new GroupCommit(db, { windowMs: options.groupCommitWindowMs ?? 0 });
    this.#changes.setMaxListeners(0);
    this.#sql = {
      insert: db.prepare(`
        INSERT INTO orders (order_id, client_secret_hash, status, price_cents, channel, product, order_name,
          order_uid, request_key, created_at, expires_at, updated_at)
        VALUES (@orderId, @clientSecretHash, 'pending', @priceCents, @channel, @product, @orderName,
          @orderUid, @requestKey, @createdAt, @expiresAt, @createdAt)`),
      get: db.prepare('SELECT * FROM orders WHERE order_id = ?'),
      // The status condition makes the pending->paid change happen once, whoever races.
      markPaid: db.prepare(`
        UPDATE orders SET status = 'paid', paid_at = @paidAt, pay_num = @payNum, transaction_id = @transactionId,
          late = (status <> 'pending' OR expires_at <= @paidAt), updated_at = @paidAt
        WHERE order_id = @orderId AND status <> 'paid'`),
      markFailed: db.prepare(`
        UPDATE orders SET status = 'failed', failure_code = ?, updated_at = ?
        WHERE order_id = ? AND status = 'pending'`),
      dueIds: db.prepare(`SELECT order_id FROM orders WHERE status = 'pending' AND expires_at <= ?`).pluck(),
      expire: db
        .prepare(`
        UPDATE orders SET status = 'expired', updated_at = @now
        WHERE status = 'pending' AND expires_at <= @now RETURNING order_id`)
        .pluck(),
      insertUnapplied: db.prepare(`
        INSERT INTO unapplied_notifications (fingerprint, reason, order_id, price, pay_num, code, fields, received_at)
        VALUES (@fingerprint, @reason, @orderId, @price, @payNum, @code, @fields, @receivedAt)
        ON CONFLICT (fingerprint) DO NOTHING`),
      listUnapplied: db.prepare('SELECT * FROM unapplied_notifications ORDER BY id'),
      ping: db.prepare('SELECT 1').pluck(),
    };
  }

  /** Opens (creating if needed) the database file and brings its schema up to date. */
  static open(options: SqliteStoreOptions): SqliteStore {
    mkdirSync(dirname(options.path), { recursive: true });
    const db = new BetterSqlite3(options.path);
    try {
      db.pragma('journal_mode = WAL');
      // FULL: every commit is fsynced, so "success" to igepay is never answered for a paid
      // state that a power cut could lose.
      db.pragma('synchronous = FULL');
      db.pragma('busy_timeout = 5000');
      migrate(db, SQLITE_MIGRATIONS);
      return new SqliteStore(db, options);
    } catch (error) {
      db.close();
      throw error;
    }
  }

  async createOrder(order: NewOrder): Promise<void> {
    await this.#writes.submit(() => this.#sql.insert.run(order));
  }

  async getOrder(orderId: string): Promise<OrderRecord | undefined> {
    const row = this.#sql.get.get(orderId) as OrderRow | undefined;
    return row && toOrder(row);
  }

  async markPaid(payment: Payment): Promise<MarkPaidResult> {
    const result = await this.#writes.submit((): MarkPaidResult => {
      const changed = this.#sql.markPaid.run(payment).changes === 1;
      const row = this.#sql.get.get(payment.orderId) as OrderRow | undefined;
      if (!row) return { outcome: 'not-found' };
      return { outcome: changed ? 'paid' : 'already-paid', order: toOrder(row) };
    });
    if (result.outcome === 'paid') this.#emit({ orderId: payment.orderId, status: OrderStatus.Paid });
    return result;
  }

  async markFailed(orderId: string, code: string, at: number): Promise<boolean> {
    const changed = await this.#writes.submit(
      () => this.#sql.markFailed.run(code, at, orderId).changes === 1,
    );
    if (changed) this.#emit({ orderId, status: OrderStatus.Failed });
    return changed;
  }

  async expireDue(now: number): Promise<string[]> {
    // A cheap read first, so an idle server does not open write transactions every sweep.
    if ((this.#sql.dueIds.all(now) as string[]).length === 0) return [];
    const ids = await this.#writes.submit(() => this.#sql.expire.all({ now }) as string[]);
    for (const orderId of ids) this.#emit({ orderId, status: OrderStatus.Expired });
    return ids;
  }

  async recordUnapplied(notification: UnappliedNotification): Promise<void> {
    const { fields, ...rest } = notification;
    const sortedFields = JSON.stringify(
      Object.fromEntries(Object.entries(fields).sort(([a], [b]) => (a < b ? -1 : 1))),
    );
    const fingerprint = createHash('sha256').update(`${notification.reason}\n${sortedFields}`).digest('hex');
    await this.#writes.submit(() =>
      this.#sql.insertUnapplied.run({ ...rest, fingerprint, fields: sortedFields }),
    );
  }

  async listUnapplied(): Promise<UnappliedRecord[]> {
    return (this.#sql.listUnapplied.all() as UnappliedRow[]).map((row) => ({
      id: row.id,
      reason: row.reason,
      orderId: row.order_id,
      price: row.price,
      payNum: row.pay_num,
      code: row.code,
      fields: JSON.parse(row.fields) as Record<string, unknown>,
      receivedAt: row.received_at,
    }));
  }

  onChange(listener: (change: OrderChange) => void): () => void {
    this.#changes.on('change', listener);
    return () => this.#changes.off('change', listener);
  }

  async ping(): Promise<void> {
    this.#sql.ping.get();
  }

  async close(): Promise<void> {
    if (!this.#db.open) return;
    this.#writes.close();
    this.#db.close();
  }

  #emit(change: OrderChange): void {
    this.#changes.emit('change', change);
  }
}
