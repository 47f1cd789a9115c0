import { eventJson } from '../../store/json.js';
import { deliveriesCell } from '../cells.js';
import { type Output, table, time, untrusted } from '../output.js';
import { withStore } from '../store.js';

/** `igepay events`: events for the merchant's app and how their deliveries went. */
export async function listEvents(
  out: Output,
  env: NodeJS.ProcessEnv,
  options: { limit: number },
): Promise<void> {
  const events = await withStore(env, (store) => store.listEvents({ limit: options.limit }));
  if (out.json) return out.print(JSON.stringify(events.map(eventJson), null, 2));
  if (events.length === 0) return out.print(out.paint('dim', 'No events.'));
  out.print(
    table(
      ['EVENT', 'TYPE', 'ORDER', 'CREATED', 'DELIVERIES', 'LAST ERROR'],
      events.map((e) => [
        untrusted(e.id),
        e.type,
        untrusted(e.orderId),
        time(e.createdAt),
        deliveriesCell(out, e),
        // The receiver's reply: anyone's words.
        untrusted(e.deliveries.find((d) => d.lastError)?.lastError ?? ''),
      ]),
    ),
  );
}
