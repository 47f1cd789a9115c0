import { OrderParamsSchema, OrderQuerySchema, OrderViewSchema } from '@igepay/shared';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { IgepayError } from '../http/errors.js';
import { clientSecretMatches } from '../orders/ids.js';
import { orderView, statusAt } from '../orders/view.js';
import type { RouteDeps } from './deps.js';

/**
 * `GET /api/orders/:order_id?client_secret=...[&wait=SECONDS]`: the verified status of an
 * order. With `wait`, a pending order's reply is held until its status changes, it expires,
 * or the wait (at most 30 s) ends: the widget's long poll.
 */
export const orderRoutes: FastifyPluginAsyncZod<{ deps: RouteDeps }> = async (app, { deps }) => {
  // The store and waiters are read per request: the plugin fills them in after registering
  // the routes (the store's writer thread starts meanwhile).
  const { now } = deps;

  const load = async (orderId: string, secret: string) => {
    const order = await deps.store.getOrder(orderId);
    // Unknown order and wrong secret look the same, so ids cannot be probed.
    if (!order || !clientSecretMatches(secret, order.clientSecretHash)) {
      throw new IgepayError('IGEPAY_ERR_ORDER_NOT_FOUND');
    }
    return order;
  };

  app.get(
    '/api/orders/:order_id',
    {
      schema: {
        summary: "An order's verified status",
        description:
          'With `wait`, a pending order is held until its status changes or the wait (at most 30 s) ends: the long poll.',
        tags: ['checkout'],
        params: OrderParamsSchema,
        querystring: OrderQuerySchema,
        response: { 200: OrderViewSchema },
      },
    },
    async (request, reply) => {
      const { order_id: orderId } = request.params;
      const { client_secret: secret, wait = 0 } = request.query;
      let order = await load(orderId, secret);
      const startedAt = now();
      if (wait > 0 && statusAt(order, startedAt) === 'pending') {
        const closed = new AbortController();
        reply.raw.once('close', () => closed.abort());
        const timeoutMs = Math.min(wait * 1000, Math.max(0, order.expiresAt - startedAt) + 50);
        // Real time, not `now()`: the wait is a timer, whatever clock the orders keep.
        const deadline = performance.now() + timeoutMs;
        for (;;) {
          // Watch first, then read again: a change between the two reads still wakes us. A
          // wake without a change (an engine that may have missed one) just reads again.
          const watch = deps.waiters.watch(orderId, Math.max(0, deadline - performance.now()), closed.signal);
          // The secret is checked already, and orders are never deleted: plain re-reads.
          order = (await deps.store.getOrder(orderId)) ?? order;
          const done =
            statusAt(order, now()) !== 'pending' ||
            closed.signal.aborted ||
            deps.waiters.closed ||
            performance.now() >= deadline;
          if (!done) await watch.changed;
          watch.cancel();
          if (done) break;
        }
      }
      return reply.header('cache-control', 'no-store').send(orderView(order, now()));
    },
  );
};
