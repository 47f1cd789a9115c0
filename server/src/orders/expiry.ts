import type { FastifyBaseLogger } from 'fastify';
import type { OrdersStore } from '../store/order-store.js';

/**
 * Writes `expired` on pending orders whose time ran out, every `intervalMs`, so stored
 * statuses match what the API shows and long polls on them wake. Returns a stop function.
 */
export function startExpirySweeper(options: {
  readonly store: Pick<OrdersStore, 'expireDue'>;
  readonly intervalMs: number;
  readonly now: () => number;
  readonly log: FastifyBaseLogger;
}): () => void {
  const { store, intervalMs, now, log } = options;
  let running = false;
  const timer = setInterval(() => {
    if (running) return;
    running = true;
    store
      .expireDue(now())
      .then((ids) => {
        if (ids.length > 0)
          log.info({ event: 'orders.expired', count: ids.length }, 'pending orders expired');
      })
      .catch((error: unknown) => log.error({ err: error }, 'could not expire pending orders'))
      .finally(() => {
        running = false;
      });
  }, intervalMs);
  timer.unref();
  return () => clearInterval(timer);
}
