import { type EchoMismatch, OrderStatus } from '@igepay/shared';
import type { MarkPaidResult, NewOrder, OrderRecord, OrdersStore, Payment } from '../order-store.js';
import { refusedPayment } from '../refused-payment.js';
import { type OrderRow, toOrder } from '../rows.js';
import type { SqliteCore } from './core.js';
import { pluck, readers } from './sqlite.js';

/** One order by its id, for the facets that read it too. */
export const ORDER_BY_ID = 'SELECT * FROM orders WHERE order_id = ?';

/** The orders facet of the embedded engine, and what its writer has queued. */
export function sqliteOrders(core: SqliteCore): OrdersStore & { pendingWrites(): number } {
  const { db, writer } = core;
  const sql = readers({
    get: db.prepare(ORDER_BY_ID),
    dueIds: pluck(
      db.prepare(`SELECT order_id FROM orders WHERE status = 'pending' AND expires_at <= ? LIMIT 1`),
    ),
  });

  const getOrder = async (orderId: string): Promise<OrderRecord | undefined> => {
    const row = sql.get.get(orderId) as OrderRow | undefined;
    return row && toOrder(row);
  };
  return {
    mode: core.mode,

    async createOrder(order: NewOrder): Promise<void> {
      await writer.submit('createOrder', order);
    },

    getOrder,

    async markPaid(payment: Payment): Promise<MarkPaidResult> {
      const result = await writer.submit('markPaid', payment);
      if ('late' in result) {
        core.emit({ orderId: payment.orderId, status: OrderStatus.Paid });
        const echoMismatch =
          result.echoMismatch === null ? null : (JSON.parse(result.echoMismatch) as EchoMismatch);
        return { outcome: 'paid', late: result.late, echoMismatch };
      }
      return refusedPayment(result.row ? toOrder(result.row) : undefined, payment);
    },

    async markFailed(orderId: string, code: string, at: number): Promise<boolean> {
      const changed = await writer.submit('markFailed', { orderId, code, at });
      if (changed) core.emit({ orderId, status: OrderStatus.Failed });
      return changed;
    },

    async expireDue(now: number): Promise<string[]> {
      // A cheap read first, so an idle server does not commit anything on every sweep.
      if (sql.dueIds.get(now) === undefined) return [];
      const ids = await writer.submit('expireDue', { now });
      for (const orderId of ids) core.emit({ orderId, status: OrderStatus.Expired });
      return ids;
    },

    onChange: (listener) => core.onChange(listener),
    pendingWrites: () => writer.pending,
  };
}
