import {
  CONFIG_PATH,
  ConfigQuerySchema,
  formatPrice,
  IgepayError,
  type PublicConfig,
  PublicConfigSchema,
} from '@igepay/shared';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { Config } from '../config/config.js';
import { priceAndName } from '../orders/checkout.js';
import type { RouteDeps } from './deps.js';

/**
 * Why a page of `origin` showing `product` or `price` could not take a payment on this server,
 * and the fix, in the developer's words; nothing when it could. The checkout's own rules decide.
 */
export function setupProblem(
  config: Config,
  page: {
    /** The page's origin, when another than the server's own. */
    readonly origin: string | undefined;
    readonly product?: string | undefined;
    readonly price?: string | undefined;
  },
): string | undefined {
  const { product, price } = page;
  if (page.origin !== undefined && !config.allowedOrigins.includes(page.origin))
    return `IGEPAY_ALLOWED_ORIGINS does not include ${page.origin}: pages there cannot make checkouts.`;
  const catalog = `The catalog (IGEPAY_PRODUCTS) has: ${[...config.catalog.keys()].join(', ') || 'nothing'}.`;
  if (product === undefined && price === undefined && !config.openAmounts)
    return `This server takes catalog products only (IGEPAY_OPEN_AMOUNTS=0): give product="…". ${catalog}`;
  if (product === undefined && price === undefined) return undefined;
  try {
    priceAndName(config, { product, price });
    return undefined;
  } catch (error) {
    if (!(error instanceof IgepayError)) throw error;
    switch (error.errorName) {
      case 'IGEPAY_ERR_UNKNOWN_PRODUCT':
        return `product="${product}" is not in the catalog. ${catalog}`;
      case 'IGEPAY_ERR_OPEN_AMOUNTS_OFF':
        return `This server takes catalog products only (IGEPAY_OPEN_AMOUNTS=0): give product="…" instead of price. ${catalog}`;
      default:
        return `price="${price}" is not an amount this server takes: from ${formatPrice(config.minPriceCents)} to ${formatPrice(config.maxPriceCents)} yuan (IGEPAY_MIN_PRICE, IGEPAY_MAX_PRICE), at most 2 decimals.`;
    }
  }
}

/**
 * `GET /api/config[?product=...|?price=...]`: what a page needs to show before a checkout: the
 * open-amount bounds and the catalog's names and prices, and whether this page's element could
 * take a payment here at all (`problem`). Nothing secret: all of it is on the merchant's pages
 * anyway, so any page may read it (CORS `*`): a page of an origin not allowed learns why.
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
    summary: 'Open-amount bounds and the catalog, for display; and whether this page could take a payment',
    description:
      '`product` or `price` are the element’s attributes; `problem`, when present, says why a checkout from this page (its `Origin`) with them would be refused, and what fixes it.',
    tags: ['checkout'],
    querystring: ConfigQuerySchema,
    response: { 200: PublicConfigSchema },
  };
  app.get(CONFIG_PATH, { schema }, async (request, reply) => {
    const { origin } = request.headers;
    // The server's own pages (the demo shop) need no allowing.
    const foreign = origin === `${request.protocol}://${request.host}` ? undefined : origin;
    const problem = setupProblem(config, { origin: foreign, ...request.query });
    return reply
      .header('cache-control', 'public, max-age=60')
      .header('access-control-allow-origin', '*')
      .header('vary', 'origin')
      .send(problem === undefined ? body : { ...body, problem });
  });
};
