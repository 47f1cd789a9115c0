import { normalizeIP } from '@fastify/rate-limit';
import {
  IgepayError,
  ORDER_PATH,
  OrderParamsSchema,
  OrderQuerySchema,
  OrderViewSchema,
} from '@igepay/shared';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { clientSecretMatches } from '../orders/ids.js';
import { waitForChange } from '../orders/long-poll.js';
import { orderView } from '../orders/view.js';
import type { RouteDeps } from './deps.js';

/**
 * Long polls held on one order at most: a buyer has a tab or two. More get the status at once
 * (the widget then asks again a second later) instead of holding a socket each.
 */
export const MAX_POLLS_PER_ORDER = 8;
/**
 * Long polls held for one client address at most (an IPv6 client's /64): more get the status
 * at once. Without it, one client could hold every connection its address may open (behind a
 * proxy the server does not trust, every buyer's), and nobody else could pay.
 */
export const MAX_POLLS_PER_CLIENT = 16;
/** Seconds a client told the server is busy waits before asking again. */
const BUSY_RETRY_SECONDS = 5;

/**
 * `GET /api/orders/:order_id?client_secret=...[&wait=SECONDS]`: the verified status of an
 * order. With `wait`, a pending order's reply is held until its status changes, it expires,
 * or the wait (at most 30 s) ends: the widget's long poll.
 */
export const orderRoutes: FastifyPluginAsyncZod<{ deps: RouteDeps }> = async (app, { deps }) => {
  const load = async (orderId: string, secret: string) => {
    const order = await deps.store.getOrder(orderId);
    // Unknown order and wrong secret look the same, so ids cannot be probed.
    if (!order || !clientSecretMatches(secret, order.clientSecretHash)) {
      throw new IgepayError('IGEPAY_ERR_ORDER_NOT_FOUND');
    }
    return order;
  };

  // Half the connections may be long polls: the rest stay free for checkouts and igepay.
  const maxPolls = Math.max(1, Math.floor(deps.config.maxConnections / 2));
  const pollsByClient = new Map<string, number>();

  app.get(
    ORDER_PATH,
    {
      schema: {
        summary: "An order's verified status",
        description:
          "With `wait`, a pending order is held until its status changes or the wait (at most 30 s) ends: the long poll. An expired order is held the same way until `late_until`, for a late payment. Past 8 held polls on one order, or 16 from one client address, the status is answered at once; past the server's total, 503 `IGEPAY_ERR_BUSY` with `Retry-After`.",
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
      if (wait > 0 && deps.waiters.size >= maxPolls) {
        reply.header('retry-after', String(BUSY_RETRY_SECONDS));
        throw new IgepayError('IGEPAY_ERR_BUSY');
      }
      // Only a request that would be held is counted against its address.
      const client = wait > 0 ? normalizeIP(request.ip) : '';
      const held = pollsByClient.get(client) ?? 0;
      if (wait > 0 && held < MAX_POLLS_PER_CLIENT && deps.waiters.waitingOn(orderId) < MAX_POLLS_PER_ORDER) {
        const closed = new AbortController();
        reply.raw.once('close', () => closed.abort());
        pollsByClient.set(client, held + 1);
        try {
          order = await waitForChange(deps, order, wait * 1000, closed.signal);
        } finally {
          const left = (pollsByClient.get(client) ?? 1) - 1;
          if (left === 0) pollsByClient.delete(client);
          else pollsByClient.set(client, left);
        }
      }
      return reply.header('cache-control', 'no-store').send(
        orderView(order, deps.now(), {
          livemode: deps.config.sandbox === undefined,
          latePaymentMs: deps.config.latePaymentMs,
        }),
      );
    },
  );
};
