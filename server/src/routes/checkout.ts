import { CHECKOUT_PATH, CheckoutRequestSchema, CheckoutResponseSchema } from '@igepay/shared';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { errorHandler } from '../http/error-handler.js';
import { createCheckout } from '../orders/checkout.js';
import type { RouteDeps } from './deps.js';

/** `POST /api/checkout`: create, store and sign an order for the widget (docs/protocol.md §2.2). */
export const checkoutRoutes: FastifyPluginAsyncZod<{ deps: RouteDeps }> = async (app, { deps }) => {
  const { config, metrics } = deps;
  // Refusals and failures are counted where they are answered: the error handler below.
  if (metrics) {
    app.setErrorHandler((error, request, reply) => {
      const answered = errorHandler(error, request, reply);
      metrics.checkout(reply.statusCode < 500 ? 'refused' : 'failed');
      return answered;
    });
  }
  app.post(
    CHECKOUT_PATH,
    {
      schema: {
        summary: 'Create, store and sign an order',
        description:
          'The page posts `gateway.fields` to `gateway.action` as a UTF-8 form. Keep `client_secret` to read the status.',
        tags: ['checkout'],
        body: CheckoutRequestSchema,
        response: { 201: CheckoutResponseSchema },
      },
      config:
        config.rateLimitPerMinute > 0
          ? { rateLimit: { max: config.rateLimitPerMinute, timeWindow: 60_000 } }
          : {},
    },
    async (request, reply) => {
      const checkout = await createCheckout(deps, request.body, deps.now());
      metrics?.checkout('created');
      request.log.debug({ event: 'order.created', order_id: checkout.order_id }, 'order created');
      return reply.status(201).header('cache-control', 'no-store').send(checkout);
    },
  );
};
