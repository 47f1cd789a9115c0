import { ChannelSchema, IgepayError, OrderStatusSchema } from '@igepay/shared';
import { stringify } from 'csv-stringify/sync';
import { z } from 'zod';
import { orderJson } from '../store/json.js';
import type { OrderFilter, OrderRecord, ReportsStore } from '../store/order-store.js';
import { localIso } from './local-time.js';
import { TzOffsetSchema } from './tz-offset.js';

/** A date (`2026-12-01`) or a time with its zone, as epoch milliseconds. */
const when = z
  .string()
  .max(40)
  .regex(
    /^\d{4}-\d{2}-\d{2}([T ][\d:.]+(Z|[+-]\d{2}:?\d{2}))?$/,
    'must be a date (2026-12-01) or an ISO time with its zone',
  )
  .transform((text, context) => {
    const at = Date.parse(text);
    if (Number.isNaN(at)) context.addIssue({ code: 'custom', message: 'is not a real date' });
    return at;
  });

/** Where the next page starts: the last order of this one, as `<created_at ms>.<order_id>`. */
const cursor = z
  .string()
  .max(80)
  .regex(/^\d{1,15}\.[\w-]{1,50}$/, 'must be the `next` of the page before')
  .transform((text) => {
    const dot = text.indexOf('.');
    return { createdAt: Number(text.slice(0, dot)), orderId: text.slice(dot + 1) };
  });

/** The orders list's query: filters, a search, and the page. */
export const OrdersQuerySchema = z.object({
  q: z.string().trim().min(1).max(100).optional(),
  status: OrderStatusSchema.optional(),
  channel: ChannelSchema.optional(),
  product: z.string().max(64).optional(),
  from: when.optional(),
  to: when.optional(),
  after: cursor.optional(),
  limit: z
    .string()
    .regex(/^\d{1,3}$/, 'must be a whole number from 1 to 200')
    .transform(Number)
    .refine((n) => n >= 1 && n <= 200, 'must be from 1 to 200')
    .default(50),
  /** The CSV's times are written in the zone this many minutes ahead of UTC (China's by default). */
  tz_offset: TzOffsetSchema,
});

type OrdersQuery = z.infer<typeof OrdersQuerySchema>;

function filterOf(query: OrdersQuery): OrderFilter {
  if (query.from !== undefined && query.to !== undefined && query.to <= query.from)
    throw new IgepayError('IGEPAY_ERR_VALIDATION', {
      issues: [{ path: 'to', message: 'must be after from' }],
    });
  return {
    status: query.status,
    channel: query.channel,
    product: query.product,
    since: query.from,
    until: query.to,
    search: query.q,
    after: query.after,
  };
}

const nextOf = (order: OrderRecord | undefined) => (order ? `${order.createdAt}.${order.orderId}` : null);

/** One page of the orders list, newest first, and where the next one starts (`null`: none). */
export async function ordersPage(store: ReportsStore, query: OrdersQuery) {
  const orders = await store.listOrders({ ...filterOf(query), limit: query.limit + 1 });
  const page = orders.slice(0, query.limit);
  return { orders: page.map(orderJson), next: orders.length > query.limit ? nextOf(page.at(-1)) : null };
}

const COLUMNS = [
  'order_id',
  'status',
  'price',
  'channel',
  'product',
  'order_name',
  'order_uid',
  'created_at',
  'paid_at',
  'pay_num',
  'transaction_id',
  'late',
] as const;

/** A spreadsheet runs a cell that starts like a formula: such a cell is kept as text (OWASP). */
function asText(value: unknown): string {
  const text = value === null || value === undefined ? '' : String(value);
  return /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
}

/**
 * Every order the filters select, as CSV (a header, then newest first), read a page at a time.
 * It starts with a byte-order mark, so that spreadsheets read the Chinese names as UTF-8.
 */
export async function* ordersCsv(store: ReportsStore, query: OrdersQuery): AsyncGenerator<string> {
  const filter = filterOf(query);
  yield `\ufeff${stringify([COLUMNS as unknown as string[]])}`;
  let after = filter.after;
  for (;;) {
    const orders = await store.listOrders({ ...filter, after, limit: 500 });
    if (orders.length === 0) return;
    // Times as the merchant's clock reads them, the offset written (a spreadsheet reads it as text).
    const local = (ms: number | null) => (ms === null ? null : localIso(ms, query.tz_offset));
    yield stringify(
      orders.map((order) => {
        const row = { ...orderJson(order), created_at: local(order.createdAt), paid_at: local(order.paidAt) };
        return COLUMNS.map((column) => asText(row[column]));
      }),
    );
    const last = orders.at(-1);
    after = last && { createdAt: last.createdAt, orderId: last.orderId };
  }
}
