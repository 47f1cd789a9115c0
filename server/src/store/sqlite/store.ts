import { EventEmitter } from 'node:events';
import { closeSync, mkdirSync, openSync } from 'node:fs';
import { dirname } from 'node:path';
import { type Channel, type EchoMismatch, OrderStatus } from '@igepay/shared';
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
import { migrate, SQLITE_MIGRATIONS } from './migrations.js';
import { searchWords } from './name-words.js';
import { type DatabaseSync, openDatabase, pluck, type Reader, transaction } from './sqlite.js';
import { SqliteWriter } from './writer.js';

/** Options for {@link SqliteStore.open}. */
export interface SqliteStoreOptions {
  /** The database file; its folder is created if missing. */
  readonly path: string;
  /** Where new events are delivered; with none (the default), no events are written. */
  readonly sinks?: readonly Sink[];
  /**
   * The server's mode: recorded by the first opener, refused when the database recorded the
   * other (`IGEPAY_ERR_STORE_MODE`). Unset (the `igepay` command), the database's is taken.
   */
  readonly mode?: StoreMode;
}

/** The orders list's filters and page, after each list statement's own condition. */
const LIST_PAGE = `
          AND (@status IS NULL OR status = @status)
          AND (@channel IS NULL OR channel = @channel) AND (@product IS NULL OR product = @product)
          AND created_at >= @since AND created_at < @until
          AND (@afterAt IS NULL OR created_at < @afterAt OR (created_at = @afterAt AND order_id < @afterId))
        ORDER BY created_at DESC, order_id DESC LIMIT @limit`;

/** Up to this many orders holding a search's words are read and sorted; past it, the list is walked. */
const FEW_MATCHES = 20_000;

/**
 * The embedded store: one SQLite file (the runtime's `node:sqlite`) in WAL mode with `synchronous=FULL`.
 * Reads run on this thread's connection; writes run on the writer thread
 * ({@link SqliteWriter}), grouped into commits, each on disk before its promise resolves.
 */
export class SqliteStore implements OrderStore {
  readonly #db: DatabaseSync;
  #open = true;
  readonly #writer: SqliteWriter;
  readonly #changes = new EventEmitter();
  readonly #sql: Record<
    | 'get'
    | 'dueIds'
    | 'listUnapplied'
    | 'listRejected'
    | 'getAdminSession'
    | 'listAdminActions'
    | 'takings'
    | 'countLate'
    | 'countRejected'
    | 'notificationsOf'
    | 'unappliedOf'
    | 'attemptsOf'
    | 'ping'
    | 'outboxStats'
    | 'listOrders'
    | 'listOrdersExact'
    | 'namesMatching'
    | 'listOrdersAmong'
    | 'listEvents'
    | 'getEvent'
    | 'deliveriesOf'
    | 'dueDeliveries',
    Reader
  >;

  private constructor(
    db: DatabaseSync,
    writer: SqliteWriter,
    /** {@inheritDoc OrderStore.mode} */
    readonly mode: StoreMode,
  ) {
    this.#db = db;
    this.#writer = writer;
    this.#changes.setMaxListeners(0);
    this.#sql = {
      get: db.prepare('SELECT * FROM orders WHERE order_id = ?'),
      dueIds: pluck(
        db.prepare(`SELECT order_id FROM orders WHERE status = 'pending' AND expires_at <= ? LIMIT 1`),
      ),
      listUnapplied: db.prepare('SELECT * FROM unapplied_notifications ORDER BY id'),
      listRejected: db.prepare('SELECT * FROM rejected_notifications ORDER BY id DESC LIMIT ?'),
      listAdminActions: db.prepare('SELECT * FROM admin_actions ORDER BY id DESC LIMIT ?'),
      // The offset is cast: a bound JS number may arrive as REAL, and the day must be whole.
      takings: db.prepare(`
        SELECT (paid_at + CAST(@offset AS INTEGER)) / 86400000 AS day, channel, sum(price_cents) AS cents, count(*) AS count
        FROM orders WHERE status = 'paid' AND paid_at >= @since GROUP BY day, channel ORDER BY day, channel`),
      countLate: pluck(db.prepare('SELECT count(*) FROM orders WHERE late = 1')),
      countRejected: pluck(db.prepare('SELECT count(*) FROM rejected_notifications')),
      notificationsOf: db.prepare(
        'SELECT received_at, fields FROM notifications WHERE order_id = ? ORDER BY received_at, id',
      ),
      unappliedOf: db.prepare('SELECT * FROM unapplied_notifications WHERE order_id = ? ORDER BY id'),
      attemptsOf: db.prepare(
        'SELECT sink, at, ok, reply FROM delivery_attempts WHERE event_id = ? ORDER BY id',
      ),
      getAdminSession: db.prepare(
        'SELECT id_hash AS idHash, csrf_token AS csrfToken, created_at AS createdAt, last_seen_at AS lastSeenAt FROM admin_sessions WHERE id_hash = ?',
      ),
      ping: pluck(db.prepare('SELECT 1')),
      outboxStats: db.prepare(`
        SELECT (SELECT count(*) FROM deliveries WHERE state = 'pending') AS pending,
          (SELECT min(e.created_at) FROM deliveries d JOIN events e ON e.id = d.event_id
            WHERE d.state = 'pending') AS oldest,
          (SELECT count(*) FROM unapplied_notifications WHERE resolved_at IS NULL) AS unapplied`),
      // Newest first along orders_by_created; a page goes on from the last row of the one before.
      listOrders: db.prepare(`
        SELECT * FROM orders WHERE (@search IS NULL OR instr(order_name, @search) > 0)${LIST_PAGE}`),
      // A name: the orders holding each of the query's pairs of characters (or its one character).
      namesMatching: pluck(
        db.prepare(
          `SELECT rowid FROM order_name_grams WHERE order_name_grams MATCH @words LIMIT ${FEW_MATCHES + 1}`,
        ),
      ),
      // Then only these, sorted: a rare or absent name is found without reading the table.
      listOrdersAmong: db.prepare(`
        SELECT * FROM orders WHERE order_id IN (
            SELECT order_id FROM order_name_grams WHERE rowid IN (SELECT value FROM json_each(@entries))
          ) AND instr(order_name, @search) > 0${LIST_PAGE}`),
      // A search is first an order id or order_uid, found by their indexes, not by a scan.
      listOrdersExact: db.prepare(`
        SELECT * FROM orders WHERE (order_id = @search OR order_uid = @search)${LIST_PAGE}`),
      listEvents: db.prepare('SELECT * FROM events ORDER BY created_at DESC, id DESC LIMIT ?'),
      getEvent: db.prepare('SELECT * FROM events WHERE id = ?'),
      deliveriesOf: db.prepare('SELECT * FROM deliveries WHERE event_id = ? ORDER BY sink'),
      dueDeliveries: db.prepare(`
        SELECT e.*, d.sink, d.attempts FROM deliveries d JOIN events e ON e.id = d.event_id
        WHERE d.state = 'pending' AND d.next_attempt_at <= ? ORDER BY d.next_attempt_at LIMIT ?`),
    };
  }

  /**
   * Opens (creating if needed) the database file, brings its schema up to date, starts the
   * writer; new events are queued for `sinks`.
   */
  static async open(options: SqliteStoreOptions): Promise<SqliteStore> {
    mkdirSync(dirname(options.path), { recursive: true });
    // Readable by its owner only, as backups are: it holds every buyer's order. SQLite gives
    // the -wal and -shm files the database's own permissions. A file that exists keeps its own.
    closeSync(openSync(options.path, 'a', 0o600));
    const db = openDatabase(options.path);
    try {
      // Waiting for a lock first: another process (the server, a second command) opening the
      // same file at once makes setting WAL find it locked.
      db.exec('PRAGMA busy_timeout = 5000');
      db.exec('PRAGMA journal_mode = WAL');
      migrate(db, SQLITE_MIGRATIONS);
      const recorded = () =>
        pluck(db.prepare(`SELECT value FROM store_meta WHERE key = 'mode'`)).get() as string | undefined;
      let { mode, record } = settleMode(recorded(), options.mode);
      if (record) {
        // Two first starts at once: the first recorded wins, and the other is held to it.
        db.prepare(`INSERT OR IGNORE INTO store_meta (key, value) VALUES ('mode', ?)`).run(mode);
        ({ mode } = settleMode(recorded(), options.mode));
      }
      // This connection only reads from now on; every write goes through the writer thread.
      db.exec('PRAGMA query_only = 1');
      const writer = await SqliteWriter.start(options.path, options.sinks ?? [], mode === 'live');
      return new SqliteStore(db, writer, mode);
    } catch (error) {
      db.close();
      throw error;
    }
  }

  async createOrder(order: NewOrder): Promise<void> {
    await this.#writer.submit('createOrder', order);
  }

  async getOrder(orderId: string): Promise<OrderRecord | undefined> {
    const row = this.#sql.get.get(orderId) as OrderRow | undefined;
    return row && toOrder(row);
  }

  async markPaid(payment: Payment): Promise<MarkPaidResult> {
    const result = await this.#writer.submit('markPaid', payment);
    if ('late' in result) {
      this.#emit({ orderId: payment.orderId, status: OrderStatus.Paid });
      const echoMismatch =
        result.echoMismatch === null ? null : (JSON.parse(result.echoMismatch) as EchoMismatch);
      return { outcome: 'paid', late: result.late, echoMismatch };
    }
    return refusedPayment(result.row ? toOrder(result.row) : undefined, payment);
  }

  async markFailed(orderId: string, code: string, at: number): Promise<boolean> {
    const changed = await this.#writer.submit('markFailed', { orderId, code, at });
    if (changed) this.#emit({ orderId, status: OrderStatus.Failed });
    return changed;
  }

  async expireDue(now: number): Promise<string[]> {
    // A cheap read first, so an idle server does not commit anything on every sweep.
    if (this.#sql.dueIds.get(now) === undefined) return [];
    const ids = await this.#writer.submit('expireDue', { now });
    for (const orderId of ids) this.#emit({ orderId, status: OrderStatus.Expired });
    return ids;
  }

  async recordUnapplied(notification: UnappliedNotification): Promise<void> {
    await this.#writer.submit('recordUnapplied', storedUnapplied(notification));
  }

  async listUnapplied(): Promise<UnappliedRecord[]> {
    return (this.#sql.listUnapplied.all() as UnappliedRow[]).map(toUnapplied);
  }

  async recordRejected(notification: RejectedNotification, keep: number): Promise<void> {
    await this.#writer.submit('recordRejected', { record: storedRejected(notification), keep });
  }

  async listRejected(limit: number): Promise<RejectedRecord[]> {
    return (this.#sql.listRejected.all(limit) as RejectedRow[]).map(toRejected);
  }

  async listOrders(filter: OrderFilter = {}): Promise<OrderRecord[]> {
    // Each statement is given exactly its own names: node:sqlite refuses any other.
    const page = {
      status: filter.status ?? null,
      channel: filter.channel ?? null,
      product: filter.product ?? null,
      since: filter.since ?? 0,
      until: untilOf(filter),
      afterAt: filter.after?.createdAt ?? null,
      afterId: filter.after?.orderId ?? null,
      limit: filter.limit ?? 100,
    };
    const search = filter.search || null;
    if (search === null) return (this.#sql.listOrders.all({ ...page, search }) as OrderRow[]).map(toOrder);
    const exact = this.#sql.listOrdersExact.all({ ...page, search }) as OrderRow[];
    if (exact.length > 0) return exact.map(toOrder);
    // Past FEW_MATCHES orders holding the query's pairs, matches come soon enough along
    // orders_by_created, newest first, and sorting that many would cost more.
    const entries = this.#sql.namesMatching.all({ words: searchWords(search) }) as number[];
    const rows = (
      entries.length <= FEW_MATCHES
        ? this.#sql.listOrdersAmong.all({ ...page, search, entries: JSON.stringify(entries) })
        : this.#sql.listOrders.all({ ...page, search })
    ) as OrderRow[];
    return rows.map(toOrder);
  }

  async listEvents(filter: { readonly limit?: number | undefined } = {}): Promise<EventRecord[]> {
    return (this.#sql.listEvents.all(filter.limit ?? 100) as EventRow[]).map((row) =>
      this.#withDeliveries(row),
    );
  }

  async getEvent(eventId: string): Promise<EventRecord | undefined> {
    const row = this.#sql.getEvent.get(eventId) as EventRow | undefined;
    return row && this.#withDeliveries(row);
  }

  async dueDeliveries(now: number, limit: number): Promise<DueDelivery[]> {
    const rows = this.#sql.dueDeliveries.all(now, limit) as Array<
      EventRow & { sink: Sink; attempts: number }
    >;
    return rows.map((row) => ({ event: toEvent(row), sink: row.sink, attempts: row.attempts }));
  }

  async recordDelivery(result: DeliveryResult): Promise<void> {
    await this.#writer.submit('recordDelivery', result);
  }

  async redeliver(eventId: string, sinks: readonly Sink[], at: number): Promise<boolean> {
    return this.#writer.submit('redeliver', { eventId, sinks, at });
  }

  #withDeliveries(row: EventRow): EventRecord {
    const deliveries = (this.#sql.deliveriesOf.all(row.id) as DeliveryRow[]).map(toDelivery);
    return { ...toEvent(row), deliveries };
  }

  onChange(listener: (change: OrderChange) => void): () => void {
    this.#changes.on('change', listener);
    return () => this.#changes.off('change', listener);
  }

  async ping(): Promise<void> {
    this.#writer.check();
    this.#sql.ping.get();
  }

  pendingWrites(): number {
    return this.#writer.pending;
  }

  async outboxStats(): Promise<OutboxStats> {
    const row = this.#sql.outboxStats.get() as {
      pending: number;
      oldest: number | null;
      unapplied: number;
    };
    return {
      pendingDeliveries: row.pending,
      oldestPendingAt: row.oldest,
      unappliedNotifications: row.unapplied,
    };
  }

  async probeWrite(): Promise<void> {
    await this.#writer.submit('probeWrite', null);
  }

  async createAdminSession(session: AdminSession): Promise<void> {
    await this.#writer.submit('createAdminSession', session);
  }

  async getAdminSession(idHash: string): Promise<AdminSession | undefined> {
    return this.#sql.getAdminSession.get(idHash) as AdminSession | undefined;
  }

  async touchAdminSession(idHash: string, at: number): Promise<void> {
    await this.#writer.submit('touchAdminSession', { idHash, at });
  }

  async deleteAdminSessions(which: { idHash: string } | { lastSeenBefore: number }): Promise<void> {
    await this.#writer.submit('deleteAdminSessions', which);
  }

  async takings(filter: TakingsFilter): Promise<TakingsRow[]> {
    const rows = this.#sql.takings.all({
      since: filter.since,
      offset: filter.offsetMinutes * 60_000,
    }) as Array<{
      day: number;
      channel: Channel;
      cents: number;
      count: number;
    }>;
    return rows.map((row) => ({ ...row, day: dayOf(row.day) }));
  }

  async countLate(): Promise<number> {
    return this.#sql.countLate.get() as number;
  }

  async countRejected(): Promise<number> {
    return this.#sql.countRejected.get() as number;
  }

  async recordNotification(orderId: string, notification: ReceivedNotification): Promise<void> {
    await this.#writer.submit('recordNotification', { orderId, notification });
  }

  async orderHistory(orderId: string): Promise<OrderHistory> {
    // One read transaction: the order, its notifications and its events as of one moment.
    return transaction(this.#db, () => {
      const row = this.#sql.get.get(orderId) as OrderRow | undefined;
      const notifications = (this.#sql.notificationsOf.all(orderId) as NotificationRow[]).map(toNotification);
      const unapplied = (this.#sql.unappliedOf.all(orderId) as UnappliedRow[]).map(toUnapplied);
      const events = eventIdsOf(orderId, unapplied).flatMap((id) => {
        const event = this.#sql.getEvent.get(id) as EventRow | undefined;
        if (!event) return [];
        const attempts = (this.#sql.attemptsOf.all(id) as AttemptRow[]).map(toAttempt);
        return [{ ...this.#withDeliveries(event), attempts }];
      });
      return { order: row && toOrder(row), notifications, unapplied, events };
    });
  }

  async resolveUnapplied(id: number, at: number, note: string): Promise<boolean> {
    return this.#writer.submit('resolveUnapplied', { id, at, note });
  }

  async recordAdminAction(action: AdminAction): Promise<void> {
    await this.#writer.submit('recordAdminAction', action);
  }

  async listAdminActions(limit: number): Promise<AdminActionRecord[]> {
    return this.#sql.listAdminActions.all(limit) as AdminActionRecord[];
  }

  async close(): Promise<void> {
    if (!this.#open) return;
    this.#open = false;
    await this.#writer.close();
    this.#db.close();
  }

  #emit(change: OrderChange): void {
    this.#changes.emit('change', change);
  }
}
