import { HEALTH_PATH, IgepayError } from '@igepay/shared';
import type { FastifyPluginAsync } from 'fastify';
import type { RouteDeps } from './deps.js';

/** Health checks within this share one write probe: a flood of them costs one commit a second. */
const PROBE_EVERY_MS = 1000;

/**
 * `GET /healthz`: 200 when the server and its store are usable, reads and writes alike (a
 * full disk or a read-only database takes no payment, though it still answers reads); 503
 * otherwise.
 */
export const healthRoutes: FastifyPluginAsync<{ deps: RouteDeps }> = async (app, { deps }) => {
  let probe: { readonly at: number; readonly done: Promise<void> } | undefined;
  const writable = () => {
    const now = performance.now();
    if (!probe || now - probe.at >= PROBE_EVERY_MS) probe = { at: now, done: deps.store.probeWrite() };
    return probe.done;
  };
  const schema = {
    summary: 'Whether the server and its store are usable, reads and writes (200) or not (503)',
    tags: ['operations'],
  };
  app.get(HEALTH_PATH, { schema }, async (_request, reply) => {
    try {
      await Promise.all([deps.store.ping(), writable()]);
    } catch (error) {
      throw new IgepayError('IGEPAY_ERR_STORE_UNAVAILABLE', { cause: error });
    }
    return reply
      .header('cache-control', 'no-store')
      .send({ status: 'ok', ...(deps.config.sandbox && { sandbox: true }) });
  });
};
