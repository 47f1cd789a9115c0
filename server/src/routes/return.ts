import { isPrintableUrl, RETURN_PATH, ReturnQuerySchema } from '@igepay/shared';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { statusAt } from '../orders/view.js';
import { newNonce, pageHeaders, pageLang } from '../pages/html.js';
import { renderReturnPage } from '../pages/return-page.js';
import type { RouteDeps } from './deps.js';

/**
 * `GET /api/igepay/return?order_id=...`: where igepay sends the buyer's browser. Read-only:
 * anyone can open this URL, so it shows the verified status and never marks anything paid.
 * An order made in the widget's redirect mode sends the buyer back to the page it came from.
 */
export const returnRoutes: FastifyPluginAsyncZod<{ deps: RouteDeps }> = async (app, { deps }) => {
  const schema = {
    summary: "The buyer's return page after paying (HTML)",
    description:
      'Shows the verified status; never proof of payment. A redirect-mode order is sent back to its `return_to`.',
    tags: ['igepay'],
    querystring: ReturnQuerySchema,
  };
  app.get(RETURN_PATH, { schema }, async (request, reply) => {
    const orderId = request.query.order_id;
    const order = orderId === undefined ? undefined : await deps.store.getOrder(orderId);
    // Redirect mode: back to the merchant's page, where the widget shows the verified status.
    // An address stored before checkout refused unprintable ones cannot be a Location header:
    // such an order gets the status page instead. One stored before checkout serialized them
    // (with `支付` in it) is serialized here: a header is Latin-1 at most.
    if (order?.returnTo && isPrintableUrl(order.returnTo) && URL.canParse(order.returnTo))
      return reply.header('cache-control', 'no-store').redirect(new URL(order.returnTo).href, 303);
    const lang = pageLang(request.headers['accept-language']);
    const status = order ? statusAt(order, deps.now()) : 'missing';
    const nonce = newNonce();
    return reply
      .status(order ? 200 : 404)
      .headers(pageHeaders({ nonce }))
      .send(
        renderReturnPage(
          order,
          status,
          lang,
          // In sandbox mode the demo shop is at `/`; a live server does not know the merchant's shop.
          { nonce, ...(deps.config.sandbox && { sandbox: true, shopUrl: deps.config.sandbox.shopPath }) },
        ),
      );
  });
};
