import { formatPrice, ORDER_STATUSES, type OrderStatus, yuan } from '@igepay/shared';
import { orderJson } from '../../store/json.js';
import { statusCell } from '../cells.js';
import { type Output, parseSince, table, time, untrusted } from '../output.js';
import { databaseName, withStore } from '../store.js';
import { UsageError } from '../usage-error.js';

/** `igepay orders`: orders, newest first. */
export async function listOrders(
  out: Output,
  env: NodeJS.ProcessEnv,
  options: { status?: string; since?: string; limit: number },
): Promise<void> {
  if (options.status !== undefined && !ORDER_STATUSES.includes(options.status as OrderStatus)) {
    throw new UsageError(`--status must be one of ${ORDER_STATUSES.join(', ')}`);
  }
  let since: number | undefined;
  try {
    since = options.since === undefined ? undefined : parseSince(options.since, Date.now());
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  const orders = await withStore(env, (store) =>
    store.listOrders({ status: options.status as OrderStatus | undefined, since, limit: options.limit }),
  );
  if (out.json) return out.print(JSON.stringify(orders.map(orderJson), null, 2));
  if (orders.length === 0) return out.print(out.paint('dim', `No orders in ${databaseName(env)}.`));
  out.print(
    table(
      ['ORDER', 'STATUS', 'PRICE', 'CHANNEL', 'NAME', 'CREATED'],
      orders.map((o) => [
        untrusted(o.orderId),
        statusCell(out, o.late ? `${o.status} (late)` : o.status),
        yuan(formatPrice(o.priceCents)),
        o.channel,
        untrusted(o.orderName ?? o.product ?? '', 60),
        time(o.createdAt),
      ]),
    ),
  );
}
