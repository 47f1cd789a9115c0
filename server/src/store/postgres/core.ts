import { randomUUID } from 'node:crypto';
import { EventEmitter } from 'node:events';
import { ORDER_STATUSES } from '@igepay/shared';
import pg from 'pg';
import { StoreClosedError, StoreWriteError } from '../errors.js';
import { type StoreMode, settleMode } from '../mode.js';
import type { OrderChange, Sink } from '../order-store.js';
import { PgChangeFeed } from './change-feed.js';
import { migratePg, PG_MIGRATIONS } from './migrations.js';

/** The channel every instance LISTENs on; payloads are `<instance> <order_id> <status>`. */
export const CHANGES_CHANNEL = 'igepay_order_changes';

/** The database's clock, in epoch milliseconds: the one clock every instance shares. */
export const DB_NOW = '(extract(epoch from clock_timestamp()) * 1000)::bigint';

/**
 * A JSON string literal for a text expression, or `null`. Built by concatenation rather than
 * `json_build_object` so the body has the same compact shape as the SQLite engine's.
 */
export const jsonText = (expr: string) => `coalesce(to_json(${expr})::text, 'null')`;

/** Options for opening the PostgreSQL store ({@link PgCore.open}). */
export interface PgStoreOptions {
  /** `postgres://user:password@host:port/database`. */
  readonly connectionString: string;
  /** Where new events are delivered; with none (the default), no events are written. */
  readonly sinks?: readonly Sink[];
  /** Pooled connections for queries (one more is held for LISTEN). Default 10. */
  readonly poolSize?: number;
  /** While the LISTEN connection is down, how often waiting long polls re-read. Default 1000 ms. */
  readonly fallbackPollMs?: number;
  /** The server's mode, as for SQLite (`SqliteStoreOptions.mode`). */
  readonly mode?: StoreMode;
  /** This machine's clock, which {@link PgCore.now} corrects to the database's. Default `Date.now`. */
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
 * What every facet of the PostgreSQL engine shares: the pool, queries and transactions that
 * fail as store faults (and refuse once closed), the clock corrected to the database's, and
 * the changes this instance and the others announce (NOTIFY, heard by {@link PgChangeFeed}).
 */
export class PgCore {
  readonly #pool: pg.Pool;
  readonly #localClock: () => number;
  readonly #clockTimer: NodeJS.Timeout;
  #offset: number;
  #feed: PgChangeFeed | undefined;
  readonly #changes = new EventEmitter();
  /** Tells this instance's NOTIFYs from the others': its own changes are announced at once. */
  readonly instance = randomUUID();
  #closed = false;

  private constructor(
    pool: pg.Pool,
    /** Where new events are delivered. */
    readonly sinks: readonly Sink[],
    /** Pooled connections for queries. */
    readonly poolSize: number,
    /** The database's mode (`OrdersStore.mode`). */
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
    this.#changes.setMaxListeners(0);
  }

  /** Connects, brings the schema up to date, and starts listening for other instances' changes. */
  static async open(options: PgStoreOptions): Promise<PgCore> {
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
    let core: PgCore | undefined;
    try {
      await migratePg(pool, PG_MIGRATIONS);
      const mode = await settlePgMode(pool, options.mode);
      const localClock = options.localClock ?? Date.now;
      const offset = await clockOffset(pool, localClock);
      core = new PgCore(pool, options.sinks ?? [], options.poolSize ?? 10, mode, localClock, offset);
      const opened = core;
      opened.#feed = await PgChangeFeed.start({
        connectionString: options.connectionString,
        channel: CHANGES_CHANNEL,
        fallbackPollMs: options.fallbackPollMs ?? 1000,
        onPayload: (payload) => opened.#fromFeed(payload),
        onMissed: () => opened.#changes.emit('missed'),
      });
      return opened;
    } catch (error) {
      if (core) clearInterval(core.#clockTimer);
      await pool.end();
      throw error;
    }
  }

  /** A query on the pool; after {@link PgCore.close}, a clear refusal instead of the pool's. */
  async query<R extends pg.QueryResultRow = pg.QueryResultRow>(
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

  /** `work` in one transaction on one connection, committed before it resolves. */
  async transaction<T>(work: (client: pg.PoolClient) => Promise<T>): Promise<T> {
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

  /** Tells this process's listeners of a change this instance committed. */
  emit(change: OrderChange): void {
    this.#changes.emit('change', change);
  }

  /** `OrdersStore.onChange`: this instance's changes and the others'. */
  onChange(listener: (change: OrderChange) => void): () => void {
    this.#changes.on('change', listener);
    return () => this.#changes.off('change', listener);
  }

  /** `OrdersStore.onMissedChanges`: the LISTEN connection dropped, and changes may have gone unheard. */
  onMissedChanges(listener: () => void): () => void {
    this.#changes.on('missed', listener);
    return () => this.#changes.off('missed', listener);
  }

  /** `OrdersStore.now`: this machine's clock corrected to the database's. */
  now(): number {
    return Math.round(this.#localClock() + this.#offset);
  }

  /** Stops listening and ends the pool; queries after it are refused. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    clearInterval(this.#clockTimer);
    await this.#feed?.stop();
    await this.#pool.end();
  }

  #fromFeed(payload: string): void {
    const [instance, orderId, status] = payload.split(' ');
    // This instance announced its own changes when they committed.
    if (instance === this.instance || !orderId || !status) return;
    const parsed = ORDER_STATUSES.find((known) => known === status);
    if (parsed) this.emit({ orderId, status: parsed });
  }
}
