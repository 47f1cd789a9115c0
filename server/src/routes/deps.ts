import type { Config } from '../config/config.js';
import type { Metrics } from '../metrics/metrics.js';
import type { Waiters } from '../orders/waiters.js';
import type { OrderStore, Sink } from '../store/order-store.js';

/** What the routes share: settings, the store, long-poll wake-ups and the clock. */
export interface RouteDeps {
  readonly config: Config;
  readonly store: OrderStore;
  readonly waiters: Waiters;
  readonly now: () => number;
  /** Where this server delivers events. */
  readonly sinks: readonly Sink[];
  /** Prometheus metrics, when the server serves them (`IGEPAY_METRICS_*`). */
  readonly metrics: Metrics | undefined;
}
