import { IgepayError } from '@igepay/shared';
import type { Metrics } from './metrics.js';

/** The server's metrics registry as Prometheus scrapes it: prom-client's `Registry`. */
export interface MetricsRegistry {
  readonly contentType: string;
  metrics(): Promise<string>;
}

/** The server's metrics, as `fastify.igepay.metrics` shows them: serve `registry` yourself. */
export interface MetricsView {
  readonly registry: MetricsRegistry;
}

/**
 * The Metrics class, loaded only when `IGEPAY_METRICS_*` asks for metrics: prom-client is an
 * optional peer dependency, installed by those who serve metrics and weighing nothing otherwise.
 */
export async function loadMetrics(): Promise<typeof Metrics> {
  try {
    await import('prom-client');
  } catch {
    throw new IgepayError('IGEPAY_ERR_PLUGIN_OPTIONS', {
      msg: 'IGEPAY_METRICS_PORT or IGEPAY_METRICS_TOKEN asks for metrics, which need the prom-client package: npm install prom-client',
    });
  }
  return (await import('./metrics.js')).Metrics;
}
