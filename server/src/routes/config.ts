import { CONFIG_PATH, formatPrice, type PublicConfig, PublicConfigSchema } from '@igepay/shared';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { RouteDeps } from './deps.js';

/**
 * `GET /api/config`: what a page needs to show before a checkout: the open-amount bounds and
 * the catalog's names and prices. Nothing secret: all of it is on the merchant's pages anyway.
 */
export const configRoutes: FastifyPluginAsyncZod<{ deps: RouteDeps }> = async (app, { deps }) => {
  const { config } = deps;
  const body: PublicConfig = {
    open_amounts: config.openAmounts,
    min_price: formatPrice(config.minPriceCents),
    max_price: formatPrice(config.maxPriceCents),
    products: Object.fromEntries(
      [...config.catalog].map(([sku, product]) => [
        sku,
        { name: product.name, price: formatPrice(product.priceCents) },
      ]),
    ),
    sandbox: config.sandbox !== undefined,
  };
  const schema = {
    summary: 'Open-amount bounds and the catalog, for display',
    tags: ['checkout'],
    response: { 200: PublicConfigSchema },
  };
  app.get(CONFIG_PATH, { schema }, async (_request, reply) =>
    reply.header('cache-control', 'public, max-age=60').send(body),
  );
};
