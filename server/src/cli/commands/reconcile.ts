import { formatPrice, OrderStatus, yuan } from '@igepay/shared';
import { orderJson, unappliedJson } from '../../store/json.js';
import { ECHO_HINT, mismatchText } from '../cells.js';
import { type Output, table, time, untrusted } from '../output.js';
import { withStore } from '../store.js';

/** `igepay reconcile`: what needs a human: notifications that could not be applied, late payments. */
export async function reconcile(out: Output, env: NodeJS.ProcessEnv): Promise<void> {
  const { unapplied, late, echoed } = await withStore(env, async (store) => {
    const paid = await store.listOrders({ status: OrderStatus.Paid, limit: 10_000 });
    return {
      unapplied: await store.listUnapplied(),
      late: paid.filter((order) => order.late),
      echoed: paid.filter((order) => order.echoMismatch !== null),
    };
  });
  if (out.json) {
    return out.print(
      JSON.stringify(
        {
          unapplied: unapplied.map(unappliedJson),
          late_payments: late.map(orderJson),
          echo_mismatches: echoed.map(orderJson),
        },
        null,
        2,
      ),
    );
  }
  const open = unapplied.filter((u) => u.resolvedAt === null);
  const resolved = unapplied.filter((u) => u.resolvedAt !== null);
  out.print(out.paint('bold', `Notifications igepay signed that could not be applied: ${open.length}`));
  if (open.length > 0) {
    out.print(
      table(
        ['ID', 'RECEIVED', 'REASON', 'ORDER', 'PRICE', 'PAY_NUM', 'CODE', 'MORE'],
        // igepay signs order_id and price only: the rest of a notification is anyone's words.
        open.map((u) => [
          String(u.id),
          time(u.receivedAt),
          out.paint('yellow', u.reason),
          untrusted(u.orderId),
          untrusted(u.price, 20),
          untrusted(u.payNum ?? '', 40),
          untrusted(u.code ?? '', 20),
          u.suppressed > 0 ? out.paint('red', `+${u.suppressed} variants`) : '',
        ]),
      ),
    );
  }
  if (resolved.length > 0) {
    out.print(out.paint('bold', `\nResolved in the dashboard: ${resolved.length}`));
    out.print(
      table(
        ['ID', 'RESOLVED', 'REASON', 'ORDER', 'PRICE', 'NOTE'],
        resolved.map((u) => [
          String(u.id),
          time(u.resolvedAt),
          u.reason,
          untrusted(u.orderId),
          untrusted(u.price, 20),
          untrusted(u.resolvedNote ?? '', 60),
        ]),
      ),
    );
  }
  out.print(
    out.paint('bold', `\nPayments after the order had expired or failed (paid all the same): ${late.length}`),
  );
  if (late.length > 0) {
    out.print(
      table(
        ['ORDER', 'PRICE', 'PAID', 'PAY_NUM'],
        late.map((o) => [
          untrusted(o.orderId),
          yuan(formatPrice(o.priceCents)),
          time(o.paidAt),
          untrusted(o.payNum ?? '', 40),
        ]),
      ),
    );
  }
  out.print(
    out.paint('bold', `\nPaid orders whose notification echoed fields differently: ${echoed.length}`),
  );
  if (echoed.length > 0) {
    out.print(
      table(
        ['ORDER', 'PRICE', 'PAID', 'DIFFERENCE'],
        echoed.map((o) => [
          untrusted(o.orderId),
          yuan(formatPrice(o.priceCents)),
          time(o.paidAt),
          mismatchText(o),
        ]),
      ),
    );
    out.print(out.paint('dim', ECHO_HINT));
  }
}
