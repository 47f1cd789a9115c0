import { eventJson, orderJson } from '../../store/json.js';
import { deliveriesCell, ECHO_HINT, mismatchText, statusCell } from '../cells.js';
import { type Output, table, untrusted } from '../output.js';
import { withStore } from '../store.js';
import { UsageError } from '../usage-error.js';

/** `igepay order <id>`: one order and its events. */
export async function showOrder(out: Output, env: NodeJS.ProcessEnv, orderId: string): Promise<void> {
  const { order, events } = await withStore(env, async (store) => ({
    order: await store.getOrder(orderId),
    events: (await store.listEvents({ limit: 1000 })).filter((event) => event.orderId === orderId),
  }));
  if (!order) throw new UsageError(`No order ${orderId}.`);
  if (out.json)
    return out.print(JSON.stringify({ ...orderJson(order), events: events.map(eventJson) }, null, 2));
  const json = orderJson(order);
  const rows = Object.entries(json)
    .filter(([name, value]) => name !== 'echo_mismatch' || value !== null)
    .map(([name, value]) => [
      name,
      name === 'status'
        ? statusCell(out, String(value))
        : name === 'echo_mismatch'
          ? out.paint('yellow', mismatchText(order))
          : untrusted(String(value ?? ''), 200),
    ]);
  out.print(table(['FIELD', 'VALUE'], rows));
  if (order.echoMismatch) out.print(out.paint('dim', ECHO_HINT));
  for (const event of events)
    out.print(`\n${untrusted(event.id)}  ${event.type}  ${deliveriesCell(out, event)}`);
}
