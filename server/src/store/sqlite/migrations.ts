import { type Migration, pendingMigrations } from '../migration.js';
import { type DatabaseSync, transaction } from './sqlite.js';

/** The SQLite schema's history. Append new steps; never edit one that has shipped. */
export const SQLITE_MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'orders and unapplied notifications',
    sql: `
      CREATE TABLE orders (
        order_id TEXT PRIMARY KEY,
        client_secret_hash TEXT NOT NULL,
        status TEXT NOT NULL CHECK (status IN ('pending', 'paid', 'failed', 'expired')),
        price_cents INTEGER NOT NULL CHECK (price_cents > 0),
        channel TEXT NOT NULL CHECK (channel IN ('wechat', 'alipay')),
        product TEXT,
        order_name TEXT,
        order_uid TEXT,
        request_key TEXT NOT NULL,
        created_at INTEGER NOT NULL,
        expires_at INTEGER NOT NULL,
        paid_at INTEGER,
        pay_num TEXT,
        transaction_id TEXT,
        late INTEGER NOT NULL DEFAULT 0,
        failure_code TEXT,
        updated_at INTEGER NOT NULL
      ) STRICT;
      CREATE INDEX orders_pending_by_expiry ON orders (expires_at) WHERE status = 'pending';
      CREATE INDEX orders_by_created ON orders (created_at);

      CREATE TABLE unapplied_notifications (
        id INTEGER PRIMARY KEY,
        fingerprint TEXT NOT NULL UNIQUE,
        reason TEXT NOT NULL,
        order_id TEXT NOT NULL,
        price TEXT NOT NULL,
        pay_num TEXT,
        code TEXT,
        fields TEXT NOT NULL,
        received_at INTEGER NOT NULL
      ) STRICT;
    `,
  },
  {
    version: 2,
    name: 'return_to: the page a redirect-mode checkout came from',
    sql: 'ALTER TABLE orders ADD COLUMN return_to TEXT;',
  },
  {
    version: 3,
    name: 'events for the merchant app, and their deliveries (the outbox)',
    sql: `
      CREATE TABLE events (
        id TEXT PRIMARY KEY,
        type TEXT NOT NULL CHECK (type IN ('order.paid', 'notification.unapplied')),
        order_id TEXT NOT NULL,
        body TEXT NOT NULL,
        created_at INTEGER NOT NULL
      ) STRICT;
      CREATE INDEX events_by_created ON events (created_at);
      CREATE TABLE deliveries (
        event_id TEXT NOT NULL REFERENCES events (id),
        sink TEXT NOT NULL CHECK (sink IN ('forward', 'callback')),
        state TEXT NOT NULL CHECK (state IN ('pending', 'delivered', 'failed')),
        attempts INTEGER NOT NULL DEFAULT 0,
        next_attempt_at INTEGER NOT NULL,
        last_error TEXT,
        delivered_at INTEGER,
        PRIMARY KEY (event_id, sink)
      ) STRICT;
      CREATE INDEX deliveries_due ON deliveries (next_attempt_at) WHERE state = 'pending';
    `,
  },
  {
    version: 4,
    name: 'echoes a payment differed in, and refused notifications (the most recent)',
    sql: `
      ALTER TABLE orders ADD COLUMN echo_mismatch TEXT;
      CREATE TABLE rejected_notifications (
        id INTEGER PRIMARY KEY,
        received_at INTEGER NOT NULL,
        client_address TEXT NOT NULL,
        content_type TEXT,
        reason TEXT NOT NULL,
        detail TEXT NOT NULL,
        fields TEXT,
        excerpt TEXT
      ) STRICT;
    `,
  },
  {
    version: 5,
    name: 'which mode (live or sandbox) made the database',
    sql: `
      CREATE TABLE store_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL) STRICT;
    `,
  },
  {
    version: 6,
    name: 'dashboard sessions',
    sql: `
      CREATE TABLE admin_sessions (
        id_hash TEXT PRIMARY KEY,
        csrf_token TEXT NOT NULL,
        created_at INTEGER NOT NULL,
        last_seen_at INTEGER NOT NULL
      ) STRICT;
    `,
  },
  {
    version: 7,
    name: "the dashboard's audit trail",
    sql: `
      CREATE TABLE admin_actions (
        id INTEGER PRIMARY KEY,
        at INTEGER NOT NULL,
        action TEXT NOT NULL,
        session TEXT NOT NULL,
        client TEXT NOT NULL,
        target TEXT,
        note TEXT
      ) STRICT;
    `,
  },
  {
    version: 8,
    name: "the dashboard's takings and late payments, without a scan",
    sql: `
      CREATE INDEX orders_paid_by_time ON orders (paid_at) WHERE status = 'paid';
      CREATE INDEX orders_late ON orders (paid_at) WHERE late = 1;
    `,
  },
  {
    version: 9,
    name: 'unapplied notifications a person has dealt with',
    sql: `
      ALTER TABLE unapplied_notifications ADD COLUMN resolved_at INTEGER;
      ALTER TABLE unapplied_notifications ADD COLUMN resolved_note TEXT;
    `,
  },
  {
    version: 10,
    name: 'orders found by their order_uid',
    sql: `
      CREATE INDEX orders_by_uid ON orders (order_uid) WHERE order_uid IS NOT NULL;
    `,
  },
  {
    version: 11,
    name: "each order's timeline: the notifications that paid it, and every delivery attempt",
    sql: `
      CREATE TABLE notifications (
        id INTEGER PRIMARY KEY,
        order_id TEXT NOT NULL,
        received_at INTEGER NOT NULL,
        fields TEXT NOT NULL
      ) STRICT;
      CREATE INDEX notifications_by_order ON notifications (order_id);
      CREATE TABLE delivery_attempts (
        id INTEGER PRIMARY KEY,
        event_id TEXT NOT NULL,
        sink TEXT NOT NULL,
        at INTEGER NOT NULL,
        ok INTEGER NOT NULL,
        reply TEXT
      ) STRICT;
      CREATE INDEX delivery_attempts_by_event ON delivery_attempts (event_id);
      CREATE INDEX unapplied_by_order ON unapplied_notifications (order_id);
    `,
  },
  {
    version: 12,
    name: 'orders found by a part of their name: every character and pair of characters in it',
    // An FTS5 index of each name's characters and pairs of characters, written as hex words
    // (name-words.js): a search reads only the orders that hold all of the query's pairs. The
    // writer thread adds each new order's words; this step adds those of the orders already
    // here, with the same words written in SQL. Orders are never deleted or renamed, and a
    // search checks each order's name, so a hand-made change could hide an order, never show
    // a wrong one.
    sql: `
      CREATE VIRTUAL TABLE order_name_grams USING fts5 (
        words, order_id UNINDEXED,
        content = '', contentless_unindexed = 1, detail = none, columnsize = 0, tokenize = 'ascii'
      );
      INSERT INTO order_name_grams (words, order_id)
        SELECT (
          WITH RECURSIVE at (i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM at WHERE i < length(order_name))
          SELECT group_concat(iif(i < length(order_name),
            hex(substr(order_name, i, 1)) || ' ' || hex(substr(order_name, i, 2)), hex(substr(order_name, i, 1))), ' ')
          FROM at
        ), order_id FROM orders WHERE order_name IS NOT NULL ORDER BY created_at, order_id;
    `,
  },
  {
    version: 13,
    name: 'unapplied notifications: variants of one signed notification bounded, event ids the same in every database',
    // Rows kept before have no signed key (they count toward no cap) and keep their event ids.
    sql: `
      ALTER TABLE unapplied_notifications ADD COLUMN signed_key TEXT;
      ALTER TABLE unapplied_notifications ADD COLUMN suppressed INTEGER NOT NULL DEFAULT 0;
      ALTER TABLE unapplied_notifications ADD COLUMN event_id TEXT;
      UPDATE unapplied_notifications SET event_id = 'evt_unapplied_' || id;
      CREATE INDEX unapplied_by_signed_key ON unapplied_notifications (signed_key);
    `,
  },
  {
    version: 14,
    name: "order names indexed off the commit path: the orders whose name's words wait to be written",
    // Every name before this is indexed (migration 12 and the writer did it in the order's
    // commit); from now on an order's commit only queues its id here, and the writer indexes
    // the queue when no write waits (name-index.js, indexSome). A search reads the queue too.
    sql: `
      CREATE TABLE order_names_pending (order_id TEXT PRIMARY KEY) STRICT, WITHOUT ROWID;
    `,
  },
];

/** Runs the migrations the database has not seen yet, each in its own transaction. */
export function migrate(db: DatabaseSync, migrations: readonly Migration[]): void {
  db.exec(
    'CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at INTEGER NOT NULL) STRICT',
  );
  const row = db.prepare('SELECT MAX(version) AS version FROM schema_migrations').get() as {
    version: number | null;
  };
  const record = db.prepare('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)');
  for (const migration of pendingMigrations(row.version ?? 0, migrations)) {
    transaction(
      db,
      () => {
        db.exec(migration.sql);
        record.run(migration.version, migration.name, Date.now());
      },
      'IMMEDIATE',
    );
  }
}
