import type { FastifyPluginAsync } from 'fastify';
import type { RouteDeps } from '../routes/deps.js';
import { langOf, newNonce } from '../sandbox/pages/layout.js';
import { SANDBOX_PREFIX } from '../sandbox/paths.js';
import { renderShopPage } from './shop-page.js';

/** `GET /`: the demo shop, in sandbox mode only. */
export const demoRoutes: FastifyPluginAsync<{ deps: RouteDeps }> = async (app, { deps }) => {
  app.get('/', async (request, reply) => {
    const nonce = newNonce();
    return reply
      .headers({
        'content-type': 'text/html; charset=utf-8',
        'cache-control': 'no-store',
        'content-security-policy': `default-src 'none'; style-src 'unsafe-inline'; script-src 'nonce-${nonce}'; connect-src 'self'; form-action 'self'; base-uri 'none'`,
        'referrer-policy': 'no-referrer',
      })
      .send(
        renderShopPage({
          lang: langOf(request),
          catalog: deps.config.catalog,
          minPriceCents: deps.config.minPriceCents,
          maxPriceCents: deps.config.maxPriceCents,
          nonce,
          inspectPath: `${SANDBOX_PREFIX}/inspect`,
        }),
      );
  });
};
