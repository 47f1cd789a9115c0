import { HEALTH_PATH, IgepayError } from '@igepay/shared';
import type { FastifyPluginAsync } from 'fastify';
import type { RouteDeps } from './deps.js';

/** `GET /healthz`: 200 when the server and its store are usable, 503 otherwise. */
export const healthRoutes: FastifyPluginAsync<{ deps: RouteDeps }> = async (app, { deps }) => {
  const schema = {
    summary: 'Whether the server and its store are usable (200) or not (503)',
    tags: ['operations'],
  };
  app.get(HEALTH_PATH, { schema }, async (_request, reply) => {
    try {
      await deps.store.ping();
    } catch (error) {
      throw new IgepayError('IGEPAY_ERR_STORE_UNAVAILABLE', { cause: error });
    }
    return reply
      .header('cache-control', 'no-store')
      .send({ status: 'ok', ...(deps.config.sandbox && { sandbox: true }) });
  });
};
