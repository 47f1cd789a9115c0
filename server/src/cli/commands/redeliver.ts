import { redeliverEvent } from '../../fulfillment/redeliver.js';
import type { Output } from '../output.js';
import { withStore } from '../store.js';
import { UsageError } from '../usage-error.js';

/** `igepay redeliver <event>`: queues an event again, for its sinks (and the forward URL if set). */
export async function redeliver(out: Output, env: NodeJS.ProcessEnv, eventId: string): Promise<void> {
  const queued = await withStore(env, (store) =>
    redeliverEvent(store, eventId, env.IGEPAY_FORWARD_URL ? ['forward'] : [], Date.now()),
  );
  if (!queued) throw new UsageError(`No event ${eventId}.`);
  if (queued.length === 0) throw new UsageError(`${eventId} has no sink to go to: set IGEPAY_FORWARD_URL.`);
  if (out.json) return out.print(JSON.stringify({ id: eventId, queued_for: queued }));
  out.print(
    `${out.paint('green', 'Queued')} ${eventId} for ${queued.join(', ')}: the running server delivers it within a second.`,
  );
}
