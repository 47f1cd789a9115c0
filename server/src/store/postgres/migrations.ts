import type pg from 'pg';
import { type Migration, pendingMigrations } from '../migration.js';

/**
 * The PostgreSQL schema's history: the same versions as {@link SQLITE_MIGRATIONS}, step for
 * step, in PostgreSQL's types (times are epoch milliseconds in BIGINT, as in SQLite). Append
 * new steps to both lists together; never edit one that has shipped.
 */
export const PG_MIGRATIONS: readonly Migration[] = [
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
        created_at BIGINT NOT NULL,
        expires_at BIGINT NOT NULL,
        paid_at BIGINT,
        pay_num TEXT,
        transaction_id TEXT,
        late BOOLEAN NOT NULL DEFAULT FALSE,
        failure_code TEXT,
        updated_at BIGINT NOT NULL
      );
      CREATE INDEX orders_pending_by_expiry ON orders (expires_at) WHERE status = 'pending';
      CREATE INDEX orders_by_created ON orders (created_at);

      CREATE TABLE unapplied_notifications (
        id BIGSERIAL PRIMARY KEY,
        fingerprint TEXT NOT NULL UNIQUE,
        reason TEXT NOT NULL,
        order_id TEXT NOT NULL,
        price TEXT NOT NULL,
        pay_num TEXT,
        code TEXT,
        fields TEXT NOT NULL,
        received_at BIGINT NOT NULL
      );
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
        created_at BIGINT NOT NULL
      );
      CREATE INDEX events_by_created ON events (created_at);
      CREATE TABLE deliveries (
        event_id TEXT NOT NULL REFERENCES events (id),
        sink TEXT NOT NULL CHECK (sink IN ('forward', 'callback')),
        state TEXT NOT NULL CHECK (state IN ('pending', 'delivered', 'failed')),
        attempts INTEGER NOT NULL DEFAULT 0,
        next_attempt_at BIGINT NOT NULL,
        last_error TEXT,
        delivered_at BIGINT,
        PRIMARY KEY (event_id, sink)
      );
      CREATE INDEX deliveries_due ON deliveries (next_attempt_at) WHERE state = 'pending';
    `,
  },
  {
    version: 4,
    name: 'echoes a payment differed in, and refused notifications (the most recent)',
    sql: `
      ALTER TABLE orders ADD COLUMN echo_mismatch TEXT;
      CREATE TABLE rejected_notifications (
        id BIGSERIAL PRIMARY KEY,
        received_at BIGINT NOT NULL,
        client_address TEXT NOT NULL,
        content_type TEXT,
        reason TEXT NOT NULL,
        detail TEXT NOT NULL,
        fields TEXT,
        excerpt TEXT
      );
    `,
  },
  {
    version: 5,
    name: 'which mode (live or sandbox) made the database',
    sql: `
      CREATE TABLE store_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
    `,
  },
  {
    version: 6,
    name: 'dashboard sessions',
    sql: `
      CREATE TABLE admin_sessions (
        id_hash TEXT PRIMARY KEY,
        csrf_token TEXT NOT NULL,
        created_at BIGINT NOT NULL,
        last_seen_at BIGINT NOT NULL
      );
    `,
  },
  {
    version: 7,
    name: "the dashboard's audit trail",
    sql: `
      CREATE TABLE admin_actions (
        id BIGSERIAL PRIMARY KEY,
        at BIGINT NOT NULL,
        action TEXT NOT NULL,
        session TEXT NOT NULL,
        client TEXT NOT NULL,
        target TEXT,
        note TEXT
      );
    `,
  },
  {
    version: 8,
    name: "the dashboard's takings and late payments, without a scan",
    sql: `
      CREATE INDEX orders_paid_by_time ON orders (paid_at) WHERE status = 'paid';
      CREATE INDEX orders_late ON orders (paid_at) WHERE late;
    `,
  },
  {
    version: 9,
    name: 'unapplied notifications a person has dealt with',
    sql: `
      ALTER TABLE unapplied_notifications ADD COLUMN resolved_at BIGINT, ADD COLUMN resolved_note TEXT;
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
        id BIGSERIAL PRIMARY KEY,
        order_id TEXT NOT NULL,
        received_at BIGINT NOT NULL,
        fields TEXT NOT NULL
      );
      CREATE INDEX notifications_by_order ON notifications (order_id);
      CREATE TABLE delivery_attempts (
        id BIGSERIAL PRIMARY KEY,
        event_id TEXT NOT NULL,
        sink TEXT NOT NULL,
        at BIGINT NOT NULL,
        ok BOOLEAN NOT NULL,
        reply TEXT
      );
      CREATE INDEX delivery_attempts_by_event ON delivery_attempts (event_id);
      CREATE INDEX unapplied_by_order ON unapplied_notifications (order_id);
    `,
  },
  {
    version: 12,
    name: 'orders found by a part of their name: every character and pair of characters in it',
    // pg_trgm keeps only the characters the database's locale calls letters, so under the C
    // locale it finds no Chinese at all; a GIN index over the name's grams works in any locale,
    // and its statistics let the planner walk orders_by_created instead when matches are common.
    // The name's grams in PL/pgSQL: a SQL function's query would be planned again for every
    // INSERT of an order; GIN drops the repeated grams itself.
    // The query's are worked out once a search, so SQL does.
    sql: `
      CREATE FUNCTION igepay_name_grams(name TEXT) RETURNS TEXT[]
        LANGUAGE plpgsql IMMUTABLE STRICT PARALLEL SAFE AS $$
        DECLARE
          grams TEXT[] := '{}';
          n INTEGER := char_length(name);
        BEGIN
          FOR i IN 1..n LOOP
            grams := grams || substr(name, i, 1);
            IF i < n THEN grams := grams || substr(name, i, 2); END IF;
          END LOOP;
          RETURN grams;
        END $$;
      -- A query's pairs of characters (or its one character): every one is in a matching name.
      CREATE FUNCTION igepay_search_grams(query TEXT) RETURNS TEXT[]
        LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
          SELECT CASE WHEN char_length(query) < 2 THEN ARRAY[query]
            ELSE ARRAY(SELECT g FROM unnest(igepay_name_grams(query)) AS g WHERE char_length(g) = 2) END
        $$;
      CREATE INDEX orders_by_name_grams ON orders USING gin (igepay_name_grams(order_name));
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
];

/** Brings the schema up to date; instances starting together take turns (an advisory lock). */
export async function migratePg(pool: pg.Pool, migrations: readonly Migration[]): Promise<void> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    await client.query(`SELECT pg_advisory_xact_lock(hashtext('igepay schema migrations'))`);
    await client.query(
      'CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at BIGINT NOT NULL)',
    );
    const { rows } = await client.query<{ version: number | null }>(
      'SELECT MAX(version) AS version FROM schema_migrations',
    );
    // One transaction for all pending steps: PostgreSQL's DDL is transactional, so a failed
    // step leaves the schema as it was.
    for (const migration of pendingMigrations(rows[0]?.version ?? 0, migrations)) {
      await client.query(migration.sql);
      await client.query('INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, $2, $3)', [
        migration.version,
        migration.name,
        Date.now(),
      ]);
    }
    await client.query('COMMIT');
  } catch (error) {
    await client.query('ROLLBACK').catch(() => {});
    throw error;
  } finally {
    client.release();
  }
}
