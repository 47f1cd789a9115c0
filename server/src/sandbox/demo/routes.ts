import type { FastifyPluginAsync } from 'fastify';
import type { Catalog } from '../../config/catalog.js';
import { newNonce, pageHeaders } from '../../pages/html.js';
import { langOf } from '../pages/layout.js';
import { SANDBOX_PREFIX } from '../paths.js';
import { renderShopPage } from './shop-page.js';

/** `GET /`: the demo shop, in sandbox mode only. */
export const demoRoutes: FastifyPluginAsync<{ readonly catalog: Catalog }> = async (app, { catalog }) => {
  app.get('/', async (request, reply) => {
    const nonce = newNonce();
    return (
      reply
        // The widget comes from this server; it calls the API and posts the gateway form here too.
        .headers(pageHeaders({ nonce, selfScripts: true, selfConnect: true, selfForms: true }))
        .send(
          renderShopPage({
            lang: langOf(request),
            mode: (request.query as { mode?: unknown }).mode === 'redirect' ? 'redirect' : 'popup',
            catalog,
            nonce,
            inspectPath: `${SANDBOX_PREFIX}/inspect`,
          }),
        )
    );
  });
};
