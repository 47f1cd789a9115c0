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
  type DeliveryRow,
  dayOf,
  type EventRow,
  eventIdsOf,
  type NotificationRow,
  type OrderRow,
  toAttempt,
  toDelivery,
  toEvent,
  toNotification,
  toOrder,
  toUnapplied,
  type UnappliedRow,
  untilOf,
} from '../rows.js';
import type { PgCore } from './core.js';
import { ORDER_BY_ID } from './orders.js';
import { DELIVERIES_OF } from './outbox.js';

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
  takings: `
    SELECT (paid_at + $2) / 86400000 AS day, channel, sum(price_cents) AS cents, count(*) AS count
    FROM orders WHERE status = 'paid' AND paid_at >= $1 GROUP BY 1, channel ORDER BY 1, channel`,
  countLate: 'SELECT count(*) AS n FROM orders WHERE late',
  notificationsOf:
    'SELECT received_at, fields FROM notifications WHERE order_id = $1 ORDER BY received_at, id',
  unappliedOf: 'SELECT * FROM unapplied_notifications WHERE order_id = $1 ORDER BY id',
  eventsIn: 'SELECT * FROM events WHERE id = ANY($1::text[]) ORDER BY created_at, id',
  attemptsOf:
    'SELECT event_id, sink, at, ok, reply FROM delivery_attempts WHERE event_id = ANY($1::text[]) ORDER BY id',
};

/** The read model of the PostgreSQL engine: lists, takings and one order's history. */
export function pgReports(core: PgCore): ReportsStore {
  return {
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
      if (search === undefined) return (await core.query<OrderRow>(SQL.listOrders, params)).rows.map(toOrder);
      const exact = (await core.query<OrderRow>(SQL.listOrdersExact, [...params, search])).rows;
      const rows =
        exact.length > 0
          ? exact
          : (await core.query<OrderRow>(SQL.listOrdersByName, [...params, search])).rows;
      return rows.map(toOrder);
    },

    async takings(filter: TakingsFilter): Promise<TakingsRow[]> {
      const { rows } = await core.query<{ day: number; channel: Channel; cents: number; count: number }>(
        SQL.takings,
        [filter.since, filter.offsetMinutes * 60_000],
      );
      return rows.map((row) => ({ ...row, day: dayOf(row.day) }));
    },

    async countLate(): Promise<number> {
      return (await core.query<{ n: number }>(SQL.countLate)).rows[0]?.n ?? 0;
    },

    async orderHistory(orderId: string): Promise<OrderHistory> {
      // One snapshot (REPEATABLE READ): the order, its notifications and its events as of one moment.
      return await core.transaction(async (client) => {
        await client.query('SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY');
        const [order, notifications, unapplied] = [
          await client.query<OrderRow>(ORDER_BY_ID, [orderId]),
          await client.query<NotificationRow>(SQL.notificationsOf, [orderId]),
          await client.query<UnappliedRow>(SQL.unappliedOf, [orderId]),
        ];
        const ids = eventIdsOf(orderId, unapplied.rows.map(toUnapplied));
        const events = await client.query<EventRow>(SQL.eventsIn, [ids]);
        const deliveries = await client.query<DeliveryRow>(DELIVERIES_OF, [ids]);
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
    },
  };
}
