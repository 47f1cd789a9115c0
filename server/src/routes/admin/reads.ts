/** What the dashboard reads: the overview, the orders (and their CSV), one order, the notifications to deal with, the audit trail. */
import { Readable } from 'node:stream';
import {
  ADMIN_API,
  ADMIN_PATH,
  AuditSchema,
  HistorySchema,
  IgepayError,
  OrdersPageSchema,
  OverviewSchema,
  UnappliedListSchema,
} from '@igepay/shared';
import { z } from 'zod';
import { OrdersQuerySchema, ordersCsv, ordersPage } from '../../admin/orders.js';
import { overviewOf } from '../../admin/overview.js';
import { TzOffsetSchema } from '../../admin/tz-offset.js';
import { historyJson, unappliedJson } from '../../store/json.js';
import type { RouteDeps } from '../deps.js';
import type { AdminApp } from './guard.js';

/** The read-only routes (a session each, checked by the guard). */
export function readRoutes(app: AdminApp, deps: RouteDeps): void {
  const { store } = deps;

  app.get(
    `${ADMIN_PATH}/${ADMIN_API.overview}`,
    {
      schema: {
        summary: 'Takings today, over 7 and 30 days and per day, and what needs attention',
        tags: ['dashboard'],
        querystring: z.object({
          /** The merchant's time zone in minutes ahead of UTC; China's by default. */
          tz_offset: TzOffsetSchema,
        }),
        response: { 200: OverviewSchema },
      },
    },
    async (request) => overviewOf(store, deps.now(), request.query.tz_offset),
  );

  app.get(
    `${ADMIN_PATH}/${ADMIN_API.orders}`,
    {
      schema: {
        summary:
          'Orders, newest first: filtered, searched, a page at a time (keyset: pass `next` as `after`)',
        tags: ['dashboard'],
        querystring: OrdersQuerySchema,
        response: { 200: OrdersPageSchema },
      },
    },
    async (request) => ordersPage(store, request.query),
  );

  app.get(
    `${ADMIN_PATH}/${ADMIN_API.ordersCsv}`,
    {
      schema: {
        summary: 'Every order the filters select, as CSV',
        tags: ['dashboard'],
        querystring: OrdersQuerySchema,
        // Text, not JSON: a stream of CSV lines (its columns: docs/http-api.md).
        response: { 200: z.unknown().describe('text/csv: a header line, then one order a line') },
      },
    },
    async (request, res) =>
      res
        .header('content-type', 'text/csv; charset=utf-8')
        .header('content-disposition', 'attachment; filename="igepay-orders.csv"')
        .send(Readable.from(ordersCsv(store, request.query))),
  );

  app.get(
    `${ADMIN_PATH}/${ADMIN_API.order}`,
    {
      schema: {
        summary:
          "One order's timeline: the order, each notification received (without its sign), those kept unapplied, its events and every delivery attempt",
        tags: ['dashboard'],
        params: z.object({ order_id: z.string().min(1).max(64) }),
        response: { 200: HistorySchema },
      },
    },
    async (request) => {
      const history = await store.orderHistory(request.params.order_id);
      const { order } = history;
      if (!order) throw new IgepayError('IGEPAY_ERR_ORDER_NOT_FOUND');
      return historyJson({ ...history, order });
    },
  );

  app.get(
    `${ADMIN_PATH}/${ADMIN_API.unapplied}`,
    {
      schema: {
        summary: 'Notifications igepay signed that could not be applied, unresolved first',
        tags: ['dashboard'],
        response: { 200: UnappliedListSchema },
      },
    },
    async () => {
      const all = (await store.listUnapplied()).map(unappliedJson);
      return {
        unapplied: [...all.filter((u) => !u.resolved_at), ...all.filter((u) => u.resolved_at).reverse()],
      };
    },
  );

  app.get(
    `${ADMIN_PATH}/${ADMIN_API.audit}`,
    {
      schema: {
        summary: 'The audit trail: every sign-in, sign-out and action, newest first (the last 500)',
        tags: ['dashboard'],
        response: { 200: AuditSchema },
      },
    },
    async () => ({
      actions: (await store.listAdminActions(500)).map((a) => ({
        id: a.id,
        at: new Date(a.at).toISOString(),
        action: a.action,
        session: a.session,
        client: a.client,
        target: a.target,
        note: a.note,
      })),
    }),
  );
}
