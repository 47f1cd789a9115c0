import type { Channel } from '@igepay/shared';
import type {
  OrderFilter,
  OrderHistory,
  OrderRecord,
  ReportsStore,
  TakingsFilter,
  TakingsRow,
} from '../order-store.js';
import {
  type AttemptRow,
  dayOf,
  type EventRow,
  eventIdsOf,
  type NotificationRow,
  type OrderRow,
  toAttempt,
  toNotification,
  toOrder,
  toUnapplied,
  type UnappliedRow,
  untilOf,
} from '../rows.js';
import type { SqliteCore } from './core.js';
import { searchWords } from './name-words.js';
import { ORDER_BY_ID } from './orders.js';
import { eventsWithDeliveries } from './outbox.js';
import { pluck, readers, transaction } from './sqlite.js';

/** The orders list's filters and page, after each list statement's own condition. */
const LIST_PAGE = `
          AND (@status IS NULL OR status = @status)
          AND (@channel IS NULL OR channel = @channel) AND (@product IS NULL OR product = @product)
          AND created_at >= @since AND created_at < @until
          AND (@afterAt IS NULL OR created_at < @afterAt OR (created_at = @afterAt AND order_id < @afterId))
        ORDER BY created_at DESC, order_id DESC LIMIT @limit`;

/** Up to this many orders holding a search's words are read and sorted; past it, the list is walked. */
const FEW_MATCHES = 20_000;

/** The read model of the embedded engine: lists, takings and one order's history. */
export function sqliteReports(core: SqliteCore): ReportsStore {
  const { db } = core;
  const withDeliveries = eventsWithDeliveries(db);
  const sql = readers({
    get: db.prepare(ORDER_BY_ID),
    // Newest first along orders_by_created; a page goes on from the last row of the one before.
    listOrders: db.prepare(`
      SELECT * FROM orders WHERE (@search IS NULL OR instr(order_name, @search) > 0)${LIST_PAGE}`),
    // A name: the orders holding each of the query's pairs of characters (or its one character).
    namesMatching: pluck(
      db.prepare(
        `SELECT rowid FROM order_name_grams WHERE order_name_grams MATCH @words LIMIT ${FEW_MATCHES + 1}`,
      ),
    ),
    // Then only these, and the orders whose words are not written yet, sorted: a rare or
    // absent name is found without reading the table.
    listOrdersAmong: db.prepare(`
      SELECT * FROM orders WHERE order_id IN (
          SELECT order_id FROM order_name_grams WHERE rowid IN (SELECT value FROM json_each(@entries))
          UNION ALL SELECT order_id FROM order_names_pending
        ) AND instr(order_name, @search) > 0${LIST_PAGE}`),
    // Names the writer has queued and not indexed yet (a few, unless it has been busy long).
    namesWaiting: pluck(
      db.prepare(`SELECT count(*) FROM (SELECT 1 FROM order_names_pending LIMIT ${FEW_MATCHES + 1})`),
    ),
    // A search is first an order id or order_uid, found by their indexes, not by a scan.
    listOrdersExact: db.prepare(`
      SELECT * FROM orders WHERE (order_id = @search OR order_uid = @search)${LIST_PAGE}`),
    // The offset is cast: a bound JS number may arrive as REAL, and the day must be whole.
    takings: db.prepare(`
      SELECT (paid_at + CAST(@offset AS INTEGER)) / 86400000 AS day, channel, sum(price_cents) AS cents, count(*) AS count
      FROM orders WHERE status = 'paid' AND paid_at >= @since GROUP BY day, channel ORDER BY day, channel`),
    countLate: pluck(db.prepare('SELECT count(*) FROM orders WHERE late = 1')),
    notificationsOf: db.prepare(
      'SELECT received_at, fields FROM notifications WHERE order_id = ? ORDER BY received_at, id',
    ),
    unappliedOf: db.prepare('SELECT * FROM unapplied_notifications WHERE order_id = ? ORDER BY id'),
    getEvent: db.prepare('SELECT * FROM events WHERE id = ?'),
    attemptsOf: db.prepare(
      'SELECT sink, at, ok, reply FROM delivery_attempts WHERE event_id = ? ORDER BY id',
    ),
  });

  return {
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
      if (search === null) return (sql.listOrders.all({ ...page, search }) as OrderRow[]).map(toOrder);
      // One read transaction: the writer moves names from the queue into the index meanwhile,
      // and a name read from neither (in the index after the first read, off the queue before
      // the last) would be missed.
      const rows = transaction(db, () => {
        const exact = sql.listOrdersExact.all({ ...page, search }) as OrderRow[];
        if (exact.length > 0) return exact;
        // Past FEW_MATCHES orders holding the query's pairs, matches come soon enough along
        // orders_by_created, newest first, and sorting that many would cost more.
        const entries = sql.namesMatching.all({ words: searchWords(search) }) as number[];
        const waiting = sql.namesWaiting.get() as number;
        return (
          entries.length + waiting <= FEW_MATCHES
            ? sql.listOrdersAmong.all({ ...page, search, entries: JSON.stringify(entries) })
            : sql.listOrders.all({ ...page, search })
        ) as OrderRow[];
      });
      return rows.map(toOrder);
    },

    async takings(filter: TakingsFilter): Promise<TakingsRow[]> {
      const rows = sql.takings.all({ since: filter.since, offset: filter.offsetMinutes * 60_000 }) as Array<{
        day: number;
        channel: Channel;
        cents: number;
        count: number;
      }>;
      return rows.map((row) => ({ ...row, day: dayOf(row.day) }));
    },

    async countLate(): Promise<number> {
      return sql.countLate.get() as number;
    },

    async orderHistory(orderId: string): Promise<OrderHistory> {
      // One read transaction: the order, its notifications and its events as of one moment.
      return transaction(db, () => {
        const row = sql.get.get(orderId) as OrderRow | undefined;
        const notifications = (sql.notificationsOf.all(orderId) as NotificationRow[]).map(toNotification);
        const unapplied = (sql.unappliedOf.all(orderId) as UnappliedRow[]).map(toUnapplied);
        const events = eventIdsOf(orderId, unapplied).flatMap((id) => {
          const event = sql.getEvent.get(id) as EventRow | undefined;
          if (!event) return [];
          const attempts = (sql.attemptsOf.all(id) as AttemptRow[]).map(toAttempt);
          return [{ ...withDeliveries(event), attempts }];
        });
        return { order: row && toOrder(row), notifications, unapplied, events };
      });
    },
  };
}
