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
        // The widget comes from this server; it calls the API and posts the gateway form here too.
        'content-security-policy': `default-src 'none'; style-src 'unsafe-inline'; script-src 'self' 'nonce-${nonce}'; connect-src 'self'; img-src 'self' data:; form-action 'self'; base-uri 'none'`,
        'referrer-policy': 'no-referrer',
      })
      .send(
        renderShopPage({
          lang: langOf(request),
          mode: (request.query as { mode?: unknown }).mode === 'redirect' ? 'redirect' : 'popup',
          catalog: deps.config.catalog,
          nonce,
          inspectPath: `${SANDBOX_PREFIX}/inspect`,
        }),
      );
  });
};
