import type { Server } from 'node:http';
import { IgepayError } from '@igepay/shared';
import { safeEqual } from '@igepay/shared/signing';
import type { FastifyInstance } from 'fastify';
import type { MetricsConfig } from '../config/config.js';
import { http } from '../http/node-http.js';
import type { Metrics } from './metrics.js';

/** Where metrics are served. */
export const METRICS_PATH = '/metrics';

/**
 * Serves `metrics` as `IGEPAY_METRICS_*` says: at `/metrics` of `app` for the bearer token,
 * and/or on a listener of its own (started with the app, closed with it), which answers
 * nothing else. Never to anyone who asks on the public port.
 */
export function serveMetrics(app: FastifyInstance, metrics: Metrics, config: MetricsConfig): void {
  const { token, port } = config;
  if (token) {
    const expected = `Bearer ${token.reveal()}`;
    app.get(METRICS_PATH, { schema: { hide: true } }, async (request, reply) => {
      const given = request.headers.authorization ?? '';
      if (!safeEqual(given, expected)) {
        reply.header('www-authenticate', 'Bearer');
        throw new IgepayError('IGEPAY_ERR_UNAUTHORIZED');
      }
      return reply
        .header('cache-control', 'no-store')
        .type(metrics.registry.contentType)
        .send(await metrics.registry.metrics());
    });
  }
  if (port !== undefined) {
    let server: Server | undefined;
    app.addHook('onReady', async () => {
      server = http.createServer((request, response) => {
        if (request.method !== 'GET' || request.url?.split('?')[0] !== METRICS_PATH) {
          response.writeHead(404, { 'content-type': 'text/plain' }).end('not found\n');
          return;
        }
        metrics.registry.metrics().then(
          (text) => response.writeHead(200, { 'content-type': metrics.registry.contentType }).end(text),
          (error: unknown) => {
            app.log.error({ err: error }, 'metrics could not be collected');
            response.writeHead(500, { 'content-type': 'text/plain' }).end('metrics could not be collected\n');
          },
        );
      });
      await new Promise<void>((resolve, reject) => {
        server?.once('error', reject);
        server?.listen(port, config.host, () => resolve());
      });
      app.log.info({ event: 'metrics.listening', host: config.host, port }, 'metrics served');
    });
    app.addHook('onClose', async () => {
      if (!server) return;
      server.closeAllConnections();
      await new Promise((resolve) => server?.close(resolve));
    });
  }
}
