import { randomUUID } from 'node:crypto';
import { EventEmitter } from 'node:events';
import { type Channel, type EchoMismatch, ORDER_STATUSES, OrderStatus } from '@igepay/shared';
import pg from 'pg';
import { StoreClosedError, StoreWriteError } from '../errors.js';
import { unappliedEventBody } from '../event-bodies.js';
import { type StoreMode, settleMode } from '../mode.js';
import type {
  AdminAction,
  AdminActionRecord,
  AdminSession,
  DeliveryResult,
  DueDelivery,
  EventRecord,
  MarkPaidResult,
  NewOrder,
  OrderChange,
  OrderFilter,
  OrderHistory,
  OrderRecord,
  OrderStore,
  OutboxStats,
  Payment,
  ReceivedNotification,
  RejectedNotification,
  RejectedRecord,
  Sink,
  TakingsFilter,
  TakingsRow,
  UnappliedNotification,
  UnappliedRecord,
} from '../order-store.js';
import { refusedPayment } from '../refused-payment.js';
import {
  type AttemptRow,
  type DeliveryRow,
  dayOf,
  type EventRow,
  eventIdsOf,
  type NotificationRow,
  type OrderRow,
  type RejectedRow,
  storedRejected,
  storedUnapplied,
  toAttempt,
  toDelivery,
  toEvent,
  toNotification,
  toOrder,
  toRejected,
  toUnapplied,
  type UnappliedRow,
  untilOf,
} from '../rows.js';
import { MAX_UNAPPLIED_VARIANTS } from '../unapplied.js';
import { Batcher, type BatchResult } from './batcher.js';
import { PgChangeFeed } from './change-feed.js';
import { migratePg, PG_MIGRATIONS } from './migrations.js';

/** A payment that moved its order to paid: `late`, and the echoes' difference as stored (JSON). */
interface AppliedPayment {
  readonly late: boolean;
  readonly echoMismatch: string | null;
}

/** The channel every instance LISTENs on; payloads are `<instance> <order_id> <status>`. */
export const CHANGES_CHANNEL = 'igepay_order_changes';

/** Options for {@link PgStore.open}. */
export interface PgStoreOptions {
  /** `postgres://user:password@host:port/database`. */
  readonly connectionString: string;
  /** Where new events are delivered; with none (the default), no events are written. */
  readonly sinks?: readonly Sink[];
  /** Pooled connections for queries (one more is held for LISTEN). Default 10. */
  readonly poolSize?: number;
  /** While the LISTEN connection is down, how often waiting long polls re-read. Default 1000 ms. */
  readonly fallbackPollMs?: number;
  /** The server's mode, as for SQLite ({@link SqliteStoreOptions.mode}). */
  readonly mode?: StoreMode;
  /** This machine's clock, which {@link PgStore.now} corrects to the database's. Default `Date.now`. */
  readonly localClock?: () => number;
}

/** How often the database's clock is read again, to follow this machine's clock drifting. */
const CLOCK_CHECK_MS = 60_000;

// BIGINT (int8) holds epoch milliseconds: well inside a double's exact integers.
const INT8 = 20;
const types = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
    oid === INT8 ? Number : pg.types.getTypeParser(oid, format)) as typeof pg.types.getTypeParser,
};

/**
 * A JSON string literal for a text expression, or `null`. Built by concatenation rather than
 * `json_build_object` so the body has the same compact shape as the SQLite engine's.
 */
const jsonText = (expr: string) => `coalesce(to_json(${expr})::text, 'null')`;

/**
 * The `order.paid` body, from the order row `p` just paid, made once in the transaction of
 * the payment: resends send the same bytes under the same id.
 */
const PAID_BODY = `'{"id":' || ${jsonText(`'evt_paid_' || p.order_id`)}
  || ',"type":"order.paid","created":' || (p.paid_at / 1000)
  || ',"livemode":' || CASE WHEN $11::boolean THEN 'true' ELSE 'false' END
  || ',"data":{"order_id":' || ${jsonText('p.order_id')}
  || ',"price":"' || (p.price_cents / 100) || '.' || lpad((p.price_cents % 100)::text, 2, '0') || '"'
  || ',"channel":' || ${jsonText('p.channel')}
  || ',"product":' || ${jsonText('p.product')}
  || ',"order_name":' || ${jsonText('p.order_name')}
  || ',"order_uid":' || ${jsonText('p.order_uid')}
  || ',"pay_num":' || ${jsonText('p.pay_num')}
  || ',"transaction_id":' || ${jsonText('p.transaction_id')}
  || ',"paid_at":"' || to_char((timestamptz 'epoch' + p.paid_at * interval '1 millisecond') AT TIME ZONE 'UTC',
       'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') || '"'
  || ',"late":' || CASE WHEN p.late THEN 'true' ELSE 'false' END
  || ',"echo_mismatch":' || coalesce(p.echo_mismatch, 'null') || '}}'`;

/**
 * How far the database's clock is ahead of `localClock` (ms; negative when behind): one
 * read, taken as happening halfway through its round trip.
 */
async function clockOffset(pool: pg.Pool, localClock: () => number): Promise<number> {
  const before = localClock();
  const { rows } = await pool.query<{ now: number }>(`SELECT ${DB_NOW} AS now`);
  const after = localClock();
  return Number(rows[0]?.now ?? after) - (before + after) / 2;
}

/** The mode the database recorded, recording `wanted` when it recorded none (settleMode). */
async function settlePgMode(pool: pg.Pool, wanted: StoreMode | undefined): Promise<StoreMode> {
  const read = async () =>
    (await pool.query<{ value: string }>(`SELECT value FROM store_meta WHERE key = 'mode'`)).rows[0]?.value;
  const { mode, record } = settleMode(await read(), wanted);
  if (!record) return mode;
  // Instances starting together: the first recorded wins, and the others are held to it.
  await pool.query(`INSERT INTO store_meta (key, value) VALUES ('mode', $1) ON CONFLICT DO NOTHING`, [mode]);
  return settleMode(await read(), wanted).mode;
}

/** The database's clock, in epoch milliseconds: the one clock every instance shares. */
const DB_NOW = '(extract(epoch from clock_timestamp()) * 1000)::bigint';

/**
 * How the echoes `i.echo_key`, `i.echo_uid` differ from the order `o` (echoMismatch of
 * `@igepay/shared/signing`), as compact JSON, worked out in the payment's own statement.
 */
const ECHO_MISMATCH = `CASE
  WHEN i.echo_key IS NOT NULL AND o.request_key = i.echo_key THEN
    CASE WHEN coalesce(i.echo_uid, '') = '' OR o.order_uid IS NOT DISTINCT FROM i.echo_uid THEN NULL
    ELSE '{"order_uid":' || to_json(i.echo_uid)::text || '}' END
  WHEN coalesce(i.echo_uid, '') = '' OR o.order_uid IS NOT DISTINCT FROM i.echo_uid
    THEN '{"key":' || ${jsonText('i.echo_key')} || '}'
  ELSE '{"key":' || ${jsonText('i.echo_key')} || ',"order_uid":' || to_json(i.echo_uid)::text || '}'
END`;

/**
 * The orders list's filters and page, after each list statement's own condition: $1 status,
 * $2 since, $3 limit, $4 channel, $5 product, $6 until, $7 and $8 the last row of the page before.
 */
const LIST_PAGE = `
      AND ($1::text IS NULL OR status = $1)
      AND ($4::text IS NULL OR channel = $4) AND ($5::text IS NULL OR product = $5)
      AND created_at >= $2 AND created_at < $6
      AND ($7::bigint IS NULL OR (created_at, order_id) < ($7::bigint, $8::text))
    ORDER BY created_at DESC, order_id DESC LIMIT $3`;

const SQL = {
  // Many orders in one statement (see Batcher). DO NOTHING: an id already taken is refused
  // alone, where a failing row would otherwise fail the whole batch.
  insertMany: `
    INSERT INTO orders (order_id, client_secret_hash, status, price_cents, channel, product, order_name,
      order_uid, request_key, created_at, expires_at, updated_at, return_to)
    SELECT o.order_id, o.client_secret_hash, 'pending', o.price_cents, o.channel, o.product, o.order_name,
      o.order_uid, o.request_key, o.created_at, o.expires_at, o.created_at, o.return_to
    FROM unnest($1::text[], $2::text[], $3::int[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[],
      $9::bigint[], $10::bigint[], $11::text[])
      AS o(order_id, client_secret_hash, price_cents, channel, product, order_name, order_uid, request_key,
        created_at, expires_at, return_to)
    ON CONFLICT (order_id) DO NOTHING
    RETURNING order_id`,
  get: 'SELECT * FROM orders WHERE order_id = $1',
  // One statement for a batch of payments, so one transaction: the conditional change to paid
  // (a second instance racing on the same order waits for the row lock, re-checks
  // `status <> 'paid'` and changes nothing; two payments of one order in the same batch
  // change it once), the events and their deliveries (the outbox), and the NOTIFYs that
  // other instances hear once this commits.
  markPaidMany: `
    WITH i AS (
      SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::bigint[], $5::text[], $6::int[], $7::text[],
        $10::text[], $12::text[])
        AS i(order_id, pay_num, transaction_id, paid_at, request_key, price_cents, echo_key, echo_uid, fields)
    ), p AS (
      UPDATE orders o SET status = 'paid', paid_at = i.paid_at, pay_num = i.pay_num,
        transaction_id = i.transaction_id, late = (o.status <> 'pending' OR o.expires_at <= i.paid_at),
        updated_at = i.paid_at, echo_mismatch = ${ECHO_MISMATCH}
      FROM i
      WHERE o.order_id = i.order_id AND o.status <> 'paid'
        AND (i.request_key IS NULL OR o.request_key = i.request_key) AND o.price_cents = i.price_cents
      RETURNING o.*
    ), ev AS (
      INSERT INTO events (id, type, order_id, body, created_at)
      SELECT 'evt_paid_' || p.order_id, 'order.paid', p.order_id, ${PAID_BODY}, p.paid_at
      FROM p WHERE cardinality($8::text[]) > 0
      ON CONFLICT (id) DO NOTHING RETURNING id
    ), nt AS (
      INSERT INTO notifications (order_id, received_at, fields)
      SELECT DISTINCT ON (p.order_id) p.order_id, p.paid_at, i.fields
      FROM p JOIN i ON i.order_id = p.order_id AND i.pay_num = p.pay_num WHERE i.fields IS NOT NULL
    ), dl AS (
      INSERT INTO deliveries (event_id, sink, state, attempts, next_attempt_at)
      SELECT ev.id, sink, 'pending', 0, p.paid_at
      FROM ev JOIN p ON ev.id = 'evt_paid_' || p.order_id CROSS JOIN unnest($8::text[]) AS sink
      ON CONFLICT DO NOTHING
    )
    SELECT p.order_id, p.pay_num, p.late, p.echo_mismatch, pg_notify('${CHANGES_CHANNEL}', $9 || ' ' || p.order_id || ' paid') FROM p`,
  outboxStats: `
    SELECT (SELECT count(*) FROM deliveries WHERE state = 'pending') AS pending,
      (SELECT min(e.created_at) FROM deliveries d JOIN events e ON e.id = d.event_id
        WHERE d.state = 'pending') AS oldest,
      (SELECT count(*) FROM unapplied_notifications WHERE resolved_at IS NULL) AS unapplied`,
  markFailed: `
    WITH f AS (
      UPDATE orders SET status = 'failed', failure_code = $2, updated_at = $3
      WHERE order_id = $1 AND status = 'pending' RETURNING order_id
    )
    SELECT pg_notify('${CHANGES_CHANNEL}', $4 || ' ' || order_id || ' failed') FROM f`,
  // Due by the earlier of the caller's clock and the database's: an instance whose clock runs
  // ahead must not expire the orders of the others (all share the database's clock).
  anyDue: `SELECT 1 FROM orders WHERE status = 'pending' AND expires_at <= LEAST($1::bigint, ${DB_NOW}) LIMIT 1`,
  expire: `
    WITH e AS (
      UPDATE orders SET status = 'expired', updated_at = $1
      WHERE status = 'pending' AND expires_at <= LEAST($1::bigint, ${DB_NOW}) RETURNING order_id
    )
    SELECT order_id, pg_notify('${CHANGES_CHANNEL}', $2 || ' ' || order_id || ' expired') FROM e`,
  insertUnapplied: `
    INSERT INTO unapplied_notifications
      (fingerprint, reason, order_id, price, pay_num, code, fields, received_at, signed_key, event_id,
       resolved_at, resolved_note)
    VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)
    ON CONFLICT (fingerprint) DO NOTHING RETURNING id`,
  // Instances take turns on one signed notification: counting and keeping are one step.
  lockSignedKey: `SELECT pg_advisory_xact_lock(hashtextextended($1, 0))`,
  unappliedKept: 'SELECT 1 FROM unapplied_notifications WHERE fingerprint = $1',
  variantsKept: 'SELECT count(*)::int AS n FROM unapplied_notifications WHERE signed_key = $1',
  countVariant: `
    UPDATE unapplied_notifications SET suppressed = suppressed + 1
    WHERE id = (SELECT min(id) FROM unapplied_notifications WHERE signed_key = $1)`,
  insertEvent: `
    INSERT INTO events (id, type, order_id, body, created_at) VALUES ($1, $2, $3, $4, $5)
    ON CONFLICT (id) DO NOTHING`,
  insertDeliveries: `
    INSERT INTO deliveries (event_id, sink, state, attempts, next_attempt_at)
    SELECT $1, sink, 'pending', 0, $3 FROM unnest($2::text[]) AS sink
    ON CONFLICT DO NOTHING`,
  listUnapplied: 'SELECT * FROM unapplied_notifications ORDER BY id',
  // One statement: the new row, and the older ones beyond `keep` dropped.
  recordRejected: `
    WITH r AS (
      INSERT INTO rejected_notifications (received_at, client_address, content_type, reason, detail, fields, excerpt)
      VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id
    )
    DELETE FROM rejected_notifications WHERE id <= (SELECT id FROM r) - $8`,
  listRejected: 'SELECT * FROM rejected_notifications ORDER BY id DESC LIMIT $1',
  createAdminSession:
    'INSERT INTO admin_sessions (id_hash, csrf_token, created_at, last_seen_at) VALUES ($1, $2, $3, $4)',
  getAdminSession: `SELECT id_hash AS "idHash", csrf_token AS "csrfToken", created_at AS "createdAt",
    last_seen_at AS "lastSeenAt" FROM admin_sessions WHERE id_hash = $1`,
  touchAdminSession: 'UPDATE admin_sessions SET last_seen_at = $2 WHERE id_hash = $1',
  deleteAdminSession: 'DELETE FROM admin_sessions WHERE id_hash = $1',
  deleteIdleAdminSessions: 'DELETE FROM admin_sessions WHERE last_seen_at < $1',
  takings: `
    SELECT (paid_at + $2) / 86400000 AS day, channel, sum(price_cents) AS cents, count(*) AS count
    FROM orders WHERE status = 'paid' AND paid_at >= $1 GROUP BY 1, channel ORDER BY 1, channel`,
  countLate: 'SELECT count(*) AS n FROM orders WHERE late',
  resolveUnapplied:
    'UPDATE unapplied_notifications SET resolved_at = $2, resolved_note = $3 WHERE id = $1 AND resolved_at IS NULL',
  recordAdminAction:
    'INSERT INTO admin_actions (at, action, session, client, target, note) VALUES ($1, $2, $3, $4, $5, $6)',
  listAdminActions:
    'SELECT id, at, action, session, client, target, note FROM admin_actions ORDER BY id DESC LIMIT $1',
  // Newest first along orders_by_created; a page goes on from the last row of the one before.
  listOrders: `
    SELECT * FROM orders WHERE TRUE${LIST_PAGE}`,
  // A name: the planner, from the grams' statistics, walks orders_by_created while matches are
  // common and takes them from orders_by_name_grams when they are rare.
  listOrdersByName: `
    SELECT * FROM orders WHERE igepay_name_grams(order_name) @> igepay_search_grams($9) AND strpos(order_name, $9) > 0${LIST_PAGE}`,
  // A search is first an order id or order_uid, found by their indexes, not by a scan.
  listOrdersExact: `
    SELECT * FROM orders WHERE (order_id = $9 OR order_uid = $9)${LIST_PAGE}`,
  listEvents: 'SELECT * FROM events ORDER BY created_at DESC, id DESC LIMIT $1',
  getEvent: 'SELECT * FROM events WHERE id = $1',
  deliveriesOf: 'SELECT * FROM deliveries WHERE event_id = ANY($1::text[]) ORDER BY event_id, sink',
  // Claims: SKIP LOCKED hands each due delivery to one instance, and moving its next attempt
  // to the claim's end keeps the others off it until then (or for good, once recorded).
  claimDue: `
    WITH due AS (
      SELECT event_id, sink FROM deliveries
      WHERE state = 'pending' AND next_attempt_at <= $1
      ORDER BY next_attempt_at LIMIT $2 FOR UPDATE SKIP LOCKED
    ), claimed AS (
      UPDATE deliveries d SET next_attempt_at = $3 FROM due
      WHERE d.event_id = due.event_id AND d.sink = due.sink
      RETURNING d.event_id, d.sink, d.attempts
    )
    SELECT e.*, claimed.sink, claimed.attempts FROM claimed JOIN events e ON e.id = claimed.event_id
    ORDER BY e.created_at, e.id, claimed.sink`,
  // The attempt is kept only when it was the pending delivery's (a redelivery raced it otherwise).
  deliveryDone: `
    WITH d AS (
      UPDATE deliveries SET state = $3, attempts = attempts + 1, next_attempt_at = $4,
        last_error = $5, delivered_at = $6
      WHERE event_id = $1 AND sink = $2 AND state = 'pending' RETURNING event_id
    )
    INSERT INTO delivery_attempts (event_id, sink, at, ok, reply)
    SELECT event_id, $2, $7, $3 = 'delivered', $8 FROM d`,
  // A resend is kept while the order has fewer than 20: a replayed notification grows nothing.
  insertRepeat: `
    INSERT INTO notifications (order_id, received_at, fields)
    SELECT $1, $2, $3 WHERE (SELECT count(*) FROM notifications WHERE order_id = $1) < 20`,
  countRejected: 'SELECT count(*) AS n FROM rejected_notifications',
  notificationsOf:
    'SELECT received_at, fields FROM notifications WHERE order_id = $1 ORDER BY received_at, id',
  unappliedOf: 'SELECT * FROM unapplied_notifications WHERE order_id = $1 ORDER BY id',
  eventsIn: 'SELECT * FROM events WHERE id = ANY($1::text[]) ORDER BY created_at, id',
  attemptsOf:
    'SELECT event_id, sink, at, ok, reply FROM delivery_attempts WHERE event_id = ANY($1::text[]) ORDER BY id',
  redeliver: `
    INSERT INTO deliveries (event_id, sink, state, attempts, next_attempt_at)
    SELECT $1, sink, 'pending', 0, $3 FROM unnest($2::text[]) AS sink
    ON CONFLICT (event_id, sink) DO UPDATE SET state = 'pending', next_attempt_at = excluded.next_attempt_at`,
};

/**
 * The database refused a statement or could not be reached: a store fault (callers answer
 * 503, and igepay resends), with PostgreSQL's SQLSTATE or the socket's code when there is one.
 */
function storeFault(error: unknown): StoreWriteError {
  if (error instanceof StoreWriteError) return error;
  const { message, code } = error as { message?: string; code?: string };
  return new StoreWriteError(message ?? String(error), code);
}

/**
 * The PostgreSQL store, for several server instances on one database. Every operation is one
 * statement or one transaction (checkouts and payments under load share one with others:
 * see {@link Batcher}), committed (PostgreSQL's default `synchronous_commit = on`: on disk)
 * before its promise resolves. Status changes are announced with NOTIFY, and every
 * instance LISTENs ({@link PgChangeFeed}), so a long poll held by one instance wakes when the
 * notification lands on another.
 */
export class PgStore implements OrderStore {
  readonly #pool: pg.Pool;
  readonly #localClock: () => number;
  readonly #clockTimer: NodeJS.Timeout;
  #offset: number;
  readonly #sinks: readonly Sink[];
  readonly #feed: PgChangeFeed;
  readonly #changes = new EventEmitter();
  /** Tells this instance's NOTIFYs from the others': its own changes are announced at once. */
  readonly #instance = randomUUID();
  // Group commit: under load, many checkouts (or payments) share one statement and one fsync.
  readonly #creates: Batcher<NewOrder, void>;
  readonly #payments: Batcher<Payment, AppliedPayment | undefined>;
  #closed = false;

  private constructor(
    pool: pg.Pool,
    sinks: readonly Sink[],
    feed: PgChangeFeed,
    poolSize: number,
    /** {@inheritDoc OrderStore.mode} */
    readonly mode: StoreMode,
    localClock: () => number,
    offset: number,
  ) {
    this.#pool = pool;
    this.#localClock = localClock;
    this.#offset = offset;
    this.#clockTimer = setInterval(() => {
      clockOffset(pool, localClock).then(
        (measured) => {
          this.#offset = measured;
        },
        // A failed read keeps the last offset: the next one will do.
        () => {},
      );
    }, CLOCK_CHECK_MS).unref();
    // A quarter of the pool each, half for both: reads (status polls) always find a connection.
    const maxInFlight = Math.max(1, Math.floor(poolSize / 4));
    this.#creates = new Batcher((orders) => this.#createBatch(orders), { maxInFlight });
    this.#payments = new Batcher((payments) => this.#payBatch(payments), { maxInFlight });
    this.#sinks = sinks;
    this.#feed = feed;
    this.#changes.setMaxListeners(0);
  }

  /** Connects, brings the schema up to date, and starts listening for other instances' changes. */
  static async open(options: PgStoreOptions): Promise<PgStore> {
    const pool = new pg.Pool({
      connectionString: options.connectionString,
      max: options.poolSize ?? 10,
      types,
      application_name: 'igepay',
      // A database that stops answering becomes a store fault (503, igepay resends) within
      // seconds, instead of requests that hang. A payment whose answer timed out is safe to
      // receive again: the change to paid is conditional.
      connectionTimeoutMillis: 5_000,
      query_timeout: 15_000,
    });
    // An idle client's error (the server restarted) must not crash the process; the next
    // query gets a fresh connection.
    pool.on('error', () => {});
    try {
      await migratePg(pool, PG_MIGRATIONS);
      const mode = await settlePgMode(pool, options.mode);
      const localClock = options.localClock ?? Date.now;
      const offset = await clockOffset(pool, localClock);
      let store: PgStore | undefined;
      const feed = await PgChangeFeed.start({
        connectionString: options.connectionString,
        channel: CHANGES_CHANNEL,
        fallbackPollMs: options.fallbackPollMs ?? 1000,
        onPayload: (payload) => {
          if (store) store.#fromFeed(payload);
        },
        onMissed: () => {
          if (store) store.#changes.emit('missed');
        },
      });
      store = new PgStore(pool, options.sinks ?? [], feed, options.poolSize ?? 10, mode, localClock, offset);
      return store;
    } catch (error) {
      await pool.end();
      throw error;
    }
  }

  async createOrder(order: NewOrder): Promise<void> {
    await this.#creates.submit(order);
  }

  async getOrder(orderId: string): Promise<OrderRecord | undefined> {
    const { rows } = await this.#query<OrderRow>(SQL.get, [orderId]);
    return rows[0] && toOrder(rows[0]);
  }

  async markPaid(payment: Payment): Promise<MarkPaidResult> {
    const applied = await this.#payments.submit(payment);
    if (applied !== undefined) {
      this.#emit({ orderId: payment.orderId, status: OrderStatus.Paid });
      const echoMismatch =
        applied.echoMismatch === null ? null : (JSON.parse(applied.echoMismatch) as EchoMismatch);
      return { outcome: 'paid', late: applied.late, echoMismatch };
    }
    // Not applied: read the order to tell why.
    return refusedPayment(await this.getOrder(payment.orderId), payment);
  }

  /** Inserts a batch of orders; an id already taken (or repeated in the batch) is refused alone. */
  async #createBatch(orders: readonly NewOrder[]): Promise<Array<BatchResult<void>>> {
    const column = <K extends keyof NewOrder>(key: K) => orders.map((order) => order[key]);
    const { rows } = await this.#query<{ order_id: string }>(SQL.insertMany, [
      column('orderId'),
      column('clientSecretHash'),
      column('priceCents'),
      column('channel'),
      column('product'),
      column('orderName'),
      column('orderUid'),
      column('requestKey'),
      column('createdAt'),
      column('expiresAt'),
      column('returnTo'),
    ]);
    const inserted = new Set(rows.map((row) => row.order_id));
    return orders.map((order) => {
      // The first of a repeated id took it; the rest are refused.
      if (inserted.delete(order.orderId)) return { ok: true, value: undefined };
      return { ok: false, error: new StoreWriteError(`order ${order.orderId} exists already`, '23505') };
    });
  }

  /**
   * Applies a batch of payments; each resolves with `late` and the echoes' difference when it
   * moved its order to paid, `undefined` otherwise (a payment of an order paid in the same
   * batch included).
   */
  async #payBatch(payments: readonly Payment[]): Promise<Array<BatchResult<AppliedPayment | undefined>>> {
    const column = <K extends keyof Payment>(key: K) => payments.map((payment) => payment[key]);
    const { rows } = await this.#query<{
      order_id: string;
      pay_num: string;
      late: boolean;
      echo_mismatch: string | null;
    }>(SQL.markPaidMany, [
      column('orderId'),
      column('payNum'),
      column('transactionId'),
      column('paidAt'),
      column('requestKey'),
      column('priceCents'),
      payments.map((payment) => payment.echo.key),
      this.#sinks,
      this.#instance,
      payments.map((payment) => payment.echo.orderUid),
      this.mode === 'live',
      payments.map((payment) => (payment.fields ? JSON.stringify(payment.fields) : null)),
    ]);
    const paid = new Map(rows.map((row) => [row.order_id, row]));
    return payments.map((payment) => {
      const row = paid.get(payment.orderId);
      // One payment per order changed it: the first of the batch that carries the winning pay_num.
      if (!row || row.pay_num !== payment.payNum) return { ok: true, value: undefined };
      paid.delete(payment.orderId);
      return { ok: true, value: { late: row.late, echoMismatch: row.echo_mismatch } };
    });
  }

  async markFailed(orderId: string, code: string, at: number): Promise<boolean> {
    const { rowCount } = await this.#query(SQL.markFailed, [orderId, code, at, this.#instance]);
    if (rowCount !== 1) return false;
    this.#emit({ orderId, status: OrderStatus.Failed });
    return true;
  }

  async expireDue(now: number): Promise<string[]> {
    // A cheap read first, so idle instances do not write on every sweep.
    if ((await this.#query(SQL.anyDue, [now])).rowCount === 0) return [];
    const { rows } = await this.#query<{ order_id: string }>(SQL.expire, [now, this.#instance]);
    const ids = rows.map((row) => row.order_id);
    for (const orderId of ids) this.#emit({ orderId, status: OrderStatus.Expired });
    return ids;
  }

  async recordUnapplied(notification: UnappliedNotification): Promise<void> {
    const record = storedUnapplied(notification);
    await this.#transaction(async (client) => {
      await client.query(SQL.lockSignedKey, [record.signedKey]);
      // A repeat is nothing new; a variant past the cap is counted, not kept or announced.
      if ((await client.query(SQL.unappliedKept, [record.fingerprint])).rowCount !== 0) return;
      const kept = await client.query<{ n: number }>(SQL.variantsKept, [record.signedKey]);
      if ((kept.rows[0]?.n ?? 0) >= MAX_UNAPPLIED_VARIANTS) {
        await client.query(SQL.countVariant, [record.signedKey]);
        return;
      }
      const { rows } = await client.query<{ id: number }>(SQL.insertUnapplied, [
        record.fingerprint,
        record.reason,
        record.orderId,
        record.price,
        record.payNum,
        record.code,
        record.fields,
        record.receivedAt,
        record.signedKey,
        record.eventId,
        record.resolvedNote === undefined ? null : record.receivedAt,
        record.resolvedNote ?? null,
      ]);
      // A repeat is kept, and announced, once; with nowhere to deliver, nothing is announced.
      const inserted = rows[0];
      if (!inserted || this.#sinks.length === 0) return;
      const id = record.eventId;
      const body = unappliedEventBody(id, record, this.mode === 'live');
      await client.query(SQL.insertEvent, [
        id,
        'notification.unapplied',
        record.orderId,
        body,
        record.receivedAt,
      ]);
      await client.query(SQL.insertDeliveries, [id, this.#sinks, record.receivedAt]);
    });
  }

  async listUnapplied(): Promise<UnappliedRecord[]> {
    return (await this.#query<UnappliedRow>(SQL.listUnapplied)).rows.map(toUnapplied);
  }

  async recordRejected(notification: RejectedNotification, keep: number): Promise<void> {
    const r = storedRejected(notification);
    await this.#query(SQL.recordRejected, [
      r.receivedAt,
      r.clientAddress,
      r.contentType,
      r.reason,
      r.detail,
      r.fields,
      r.excerpt,
      keep,
    ]);
  }

  async listRejected(limit: number): Promise<RejectedRecord[]> {
    return (await this.#query<RejectedRow>(SQL.listRejected, [limit])).rows.map(toRejected);
  }

  async listOrders(filter: OrderFilter = {}): Promise<OrderRecord[]> {
    const params = [
      filter.status ?? null,
      filter.since ?? 0,
      filter.limit ?? 100,
      filter.channel ?? null,
      filter.product ?? null,
      untilOf(filter),
      filter.after?.createdAt ?? null,
      filter.after?.orderId ?? null,
    ];
    const search = filter.search || undefined;
    if (search === undefined) return (await this.#query<OrderRow>(SQL.listOrders, params)).rows.map(toOrder);
    const exact = (await this.#query<OrderRow>(SQL.listOrdersExact, [...params, search])).rows;
    const rows =
      exact.length > 0
        ? exact
        : (await this.#query<OrderRow>(SQL.listOrdersByName, [...params, search])).rows;
    return rows.map(toOrder);
  }

  async listEvents(filter: { readonly limit?: number | undefined } = {}): Promise<EventRecord[]> {
    const { rows } = await this.#query<EventRow>(SQL.listEvents, [filter.limit ?? 100]);
    return await this.#withDeliveries(rows);
  }

  async getEvent(eventId: string): Promise<EventRecord | undefined> {
    const { rows } = await this.#query<EventRow>(SQL.getEvent, [eventId]);
    return (await this.#withDeliveries(rows))[0];
  }

  async dueDeliveries(now: number, limit: number, claimUntil = now): Promise<DueDelivery[]> {
    const { rows } = await this.#query<EventRow & { sink: Sink; attempts: number }>(SQL.claimDue, [
      now,
      limit,
      claimUntil,
    ]);
    return rows.map((row) => ({ event: toEvent(row), sink: row.sink, attempts: row.attempts }));
  }

  async recordDelivery(r: DeliveryResult): Promise<void> {
    await this.#query(SQL.deliveryDone, [
      r.eventId,
      r.sink,
      r.state,
      r.nextAttemptAt,
      r.error,
      r.deliveredAt,
      r.attemptedAt,
      r.reply,
    ]);
  }

  async redeliver(eventId: string, sinks: readonly Sink[], at: number): Promise<boolean> {
    return await this.#transaction(async (client) => {
      const { rowCount } = await client.query(`${SQL.getEvent} FOR UPDATE`, [eventId]);
      if (rowCount === 0) return false;
      await client.query(SQL.redeliver, [eventId, sinks, at]);
      return true;
    });
  }

  onChange(listener: (change: OrderChange) => void): () => void {
    this.#changes.on('change', listener);
    return () => this.#changes.off('change', listener);
  }

  onMissedChanges(listener: () => void): () => void {
    this.#changes.on('missed', listener);
    return () => this.#changes.off('missed', listener);
  }

  async ping(): Promise<void> {
    await this.#query('SELECT 1');
  }

  pendingWrites(): number {
    return this.#creates.queued + this.#payments.queued;
  }

  async outboxStats(): Promise<OutboxStats> {
    const { rows } = await this.#query<{ pending: string; oldest: number | null; unapplied: string }>(
      SQL.outboxStats,
    );
    const row = rows[0];
    return {
      pendingDeliveries: Number(row?.pending ?? 0),
      oldestPendingAt: row?.oldest ?? null,
      unappliedNotifications: Number(row?.unapplied ?? 0),
    };
  }

  async probeWrite(): Promise<void> {
    await this.#query(
      'UPDATE schema_migrations SET applied_at = applied_at WHERE version = (SELECT MAX(version) FROM schema_migrations)',
    );
  }

  async createAdminSession(session: AdminSession): Promise<void> {
    await this.#query(SQL.createAdminSession, [
      session.idHash,
      session.csrfToken,
      session.createdAt,
      session.lastSeenAt,
    ]);
  }

  async getAdminSession(idHash: string): Promise<AdminSession | undefined> {
    return (await this.#query<AdminSession>(SQL.getAdminSession, [idHash])).rows[0];
  }

  async touchAdminSession(idHash: string, at: number): Promise<void> {
    await this.#query(SQL.touchAdminSession, [idHash, at]);
  }

  async deleteAdminSessions(which: { idHash: string } | { lastSeenBefore: number }): Promise<void> {
    if ('idHash' in which) await this.#query(SQL.deleteAdminSession, [which.idHash]);
    else await this.#query(SQL.deleteIdleAdminSessions, [which.lastSeenBefore]);
  }

  async takings(filter: TakingsFilter): Promise<TakingsRow[]> {
    const { rows } = await this.#query<{ day: number; channel: Channel; cents: number; count: number }>(
      SQL.takings,
      [filter.since, filter.offsetMinutes * 60_000],
    );
    return rows.map((row) => ({ ...row, day: dayOf(row.day) }));
  }

  async countLate(): Promise<number> {
    return (await this.#query<{ n: number }>(SQL.countLate)).rows[0]?.n ?? 0;
  }

  async countRejected(): Promise<number> {
    return (await this.#query<{ n: number }>(SQL.countRejected)).rows[0]?.n ?? 0;
  }

  async recordNotification(orderId: string, notification: ReceivedNotification): Promise<void> {
    await this.#query(SQL.insertRepeat, [
      orderId,
      notification.receivedAt,
      JSON.stringify(notification.fields),
    ]);
  }

  async orderHistory(orderId: string): Promise<OrderHistory> {
    // One snapshot (REPEATABLE READ): the order, its notifications and its events as of one moment.
    return await this.#transaction(async (client) => {
      await client.query('SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY');
      const [order, notifications, unapplied] = [
        await client.query<OrderRow>(SQL.get, [orderId]),
        await client.query<NotificationRow>(SQL.notificationsOf, [orderId]),
        await client.query<UnappliedRow>(SQL.unappliedOf, [orderId]),
      ];
      const ids = eventIdsOf(orderId, unapplied.rows.map(toUnapplied));
      const events = await client.query<EventRow>(SQL.eventsIn, [ids]);
      const deliveries = await client.query<DeliveryRow>(SQL.deliveriesOf, [ids]);
      const attempts = await client.query<AttemptRow & { event_id: string }>(SQL.attemptsOf, [ids]);
      return {
        order: order.rows[0] && toOrder(order.rows[0]),
        notifications: notifications.rows.map(toNotification),
        unapplied: unapplied.rows.map(toUnapplied),
        events: events.rows.map((row) => ({
          ...toEvent(row),
          deliveries: deliveries.rows.filter((d) => d.event_id === row.id).map(toDelivery),
          attempts: attempts.rows.filter((a) => a.event_id === row.id).map(toAttempt),
        })),
      };
    });
  }

  async resolveUnapplied(id: number, at: number, note: string): Promise<boolean> {
    return (await this.#query(SQL.resolveUnapplied, [id, at, note])).rowCount === 1;
  }

  async recordAdminAction(action: AdminAction): Promise<void> {
    await this.#query(SQL.recordAdminAction, [
      action.at,
      action.action,
      action.session,
      action.client,
      action.target,
      action.note,
    ]);
  }

  async listAdminActions(limit: number): Promise<AdminActionRecord[]> {
    return (await this.#query<AdminActionRecord>(SQL.listAdminActions, [limit])).rows;
  }

  /** {@inheritDoc OrderStore.now} */
  now(): number {
    return Math.round(this.#localClock() + this.#offset);
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    clearInterval(this.#clockTimer);
    await this.#feed.stop();
    await this.#pool.end();
  }

  async #withDeliveries(rows: EventRow[]): Promise<EventRecord[]> {
    if (rows.length === 0) return [];
    const deliveries = await this.#query<DeliveryRow>(SQL.deliveriesOf, [rows.map((row) => row.id)]);
    return rows.map((row) => ({
      ...toEvent(row),
      deliveries: deliveries.rows.filter((d) => d.event_id === row.id).map(toDelivery),
    }));
  }

  /** A query on the pool; after {@link PgStore.close}, a clear refusal instead of the pool's. */
  async #query<R extends pg.QueryResultRow = pg.QueryResultRow>(
    text: string,
    values?: unknown[],
  ): Promise<pg.QueryResult<R>> {
    if (this.#closed) throw new StoreClosedError();
    try {
      return await this.#pool.query<R>(text, values);
    } catch (error) {
      throw storeFault(error);
    }
  }

  async #transaction<T>(work: (client: pg.PoolClient) => Promise<T>): Promise<T> {
    if (this.#closed) throw new StoreClosedError();
    let client: pg.PoolClient;
    try {
      client = await this.#pool.connect();
    } catch (error) {
      throw storeFault(error);
    }
    try {
      await client.query('BEGIN');
      const result = await work(client);
      await client.query('COMMIT');
      return result;
    } catch (error) {
      await client.query('ROLLBACK').catch(() => {});
      throw storeFault(error);
    } finally {
      client.release();
    }
  }

  #fromFeed(payload: string): void {
    const [instance, orderId, status] = payload.split(' ');
    // This instance announced its own changes when they committed.
    if (instance === this.#instance || !orderId || !status) return;
    const parsed = ORDER_STATUSES.find((known) => known === status);
    if (parsed) this.#emit({ orderId, status: parsed });
  }

  #emit(change: OrderChange): void {
    this.#changes.emit('change', change);
  }
}
