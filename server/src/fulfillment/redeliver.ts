import type { OutboxStore, Sink } from '../store/order-store.js';

/**
 * Queues event `eventId` again, under the same id and body, for the sinks it went to before
 * and those given (where this server delivers now); the running server sends it. Answers the
 * sinks it was queued for (none: it has nowhere to go), or `undefined` when there is no such
 * event. The `igepay redeliver` command and the dashboard both do it this way.
 */
export async function redeliverEvent(
  store: Pick<OutboxStore, 'getEvent' | 'redeliver'>,
  eventId: string,
  sinksNow: readonly Sink[],
  at: number,
): Promise<Sink[] | undefined> {
  const event = await store.getEvent(eventId);
  if (!event) return undefined;
  const sinks = [...new Set<Sink>([...event.deliveries.map((d) => d.sink), ...sinksNow])];
  if (sinks.length > 0) await store.redeliver(eventId, sinks, at);
  return sinks;
}
