import { monitorEventLoopDelay } from 'node:perf_hooks';
import { Counter, Gauge, Registry } from 'prom-client';
import type { ConnectionCounts } from '../http/connections.js';
import type { Waiters } from '../orders/waiters.js';
import type { HealthStore, OutboxStore, Sink } from '../store/order-store.js';

/** How a checkout ended, as counted. */
export type CheckoutOutcome = 'created' | 'refused' | 'failed';
/** How a notification ended, as counted. */
export type NotificationOutcome = 'paid' | 'duplicate' | 'unapplied' | 'rejected' | 'failed';

/** What {@link Metrics} reads when it is scraped. */
export interface MetricsSources {
  readonly store: Pick<OutboxStore, 'outboxStats'> & Pick<HealthStore, 'pendingWrites'>;
  readonly waiters: Waiters;
  readonly now: () => number;
}

/**
 * The server's Prometheus metrics (prom-client), in a registry of its own: what happened
 * (counters, bumped as it happens) and how things stand (gauges, read from the store and the
 * server when scraped). Nothing here is on a request's path but a counter's increment.
 */
export class Metrics {
  readonly registry = new Registry();
  readonly #checkouts: Counter<'outcome'>;
  readonly #notifications: Counter<'outcome'>;
  readonly #deliveryFailures: Counter<'sink'>;
  readonly #stopProcessMetrics: () => void;
  readonly #byCheckout: Partial<Record<CheckoutOutcome, { inc(): void }>> = {};
  readonly #byNotification: Partial<Record<NotificationOutcome, { inc(): void }>> = {};
  /** The standalone server's connection counts (guardConnections), once it guards them. */
  connections: (() => ConnectionCounts) | undefined;

  constructor(sources: MetricsSources) {
    const registers = [this.registry];
    const connections = () => this.connections?.();
    this.#checkouts = new Counter({
      name: 'igepay_checkouts_total',
      help: 'Checkouts, by outcome: created, refused (4xx) or failed (5xx).',
      labelNames: ['outcome'],
      registers,
    });
    this.#notifications = new Counter({
      name: 'igepay_notifications_total',
      help: "igepay's notifications, by outcome: paid, duplicate, unapplied (signed, kept for reconciliation), rejected (not validly signed) or failed (5xx, igepay resends).",
      labelNames: ['outcome'],
      registers,
    });
    this.#deliveryFailures = new Counter({
      name: 'igepay_event_delivery_failures_total',
      help: 'Failed attempts to deliver an event, by sink (forward or callback).',
      labelNames: ['sink'],
      registers,
    });
    // Read once per scrape, for the gauges below.
    let stats: ReturnType<OutboxStore['outboxStats']> | undefined;
    const outbox = () => {
      stats ??= sources.store.outboxStats().finally(() => {
        stats = undefined;
      });
      return stats;
    };
    new Gauge({
      name: 'igepay_unapplied_notifications',
      help: 'Validly signed notifications kept for reconciliation (igepay reconcile).',
      registers,
      async collect() {
        this.set((await outbox()).unappliedNotifications);
      },
    });
    new Gauge({
      name: 'igepay_outbox_pending_deliveries',
      help: 'Event deliveries not yet made.',
      registers,
      async collect() {
        this.set((await outbox()).pendingDeliveries);
      },
    });
    new Gauge({
      name: 'igepay_outbox_oldest_pending_age_seconds',
      help: 'Age of the oldest event not yet delivered; 0 when none is pending.',
      registers,
      async collect() {
        const oldest = (await outbox()).oldestPendingAt;
        this.set(oldest === null ? 0 : Math.max(0, (sources.now() - oldest) / 1000));
      },
    });
    new Gauge({
      name: 'igepay_long_polls',
      help: 'Status requests held open (long polls).',
      registers,
      collect() {
        this.set(sources.waiters.size);
      },
    });
    new Gauge({
      name: 'igepay_store_pending_writes',
      help: 'Writes waiting for the store (the SQLite writer, or a PostgreSQL connection).',
      registers,
      collect() {
        this.set(sources.store.pendingWrites());
      },
    });
    new Gauge({
      name: 'igepay_connections',
      help: 'Open connections of the standalone server.',
      registers,
      collect() {
        this.set(connections()?.open ?? 0);
      },
    });
    new Gauge({
      name: 'igepay_connections_shed',
      help: 'Connections closed since start to keep within the limits, by why: per-client (a client held too many) or evicted (idle, to make room).',
      labelNames: ['why'],
      registers,
      collect() {
        const counts = connections();
        this.set({ why: 'per-client' }, counts?.refusedPerClient ?? 0);
        this.set({ why: 'evicted' }, counts?.evicted ?? 0);
      },
    });
    this.#stopProcessMetrics = processMetrics(registers);
  }

  /** Stops sampling the event loop (with the app). */
  close(): void {
    this.#stopProcessMetrics();
  }

  /** Counts a checkout's end. */
  checkout(outcome: CheckoutOutcome): void {
    // Children bound to their label: no label hashing on the request's path.
    this.#byCheckout[outcome] ??= this.#checkouts.labels({ outcome });
    this.#byCheckout[outcome].inc();
  }

  /** Counts a notification's end. */
  notification(outcome: NotificationOutcome): void {
    this.#byNotification[outcome] ??= this.#notifications.labels({ outcome });
    this.#byNotification[outcome].inc();
  }

  /** Counts a failed delivery attempt. */
  deliveryFailed(sink: Sink): void {
    this.#deliveryFailures.inc({ sink });
  }
}

/**
 * The process's figures, read when scraped. Not prom-client's default metrics: their garbage
 * collection observer runs on every collection, which a checkout pays for (measured side by
 * side: `BENCH_METRICS=1 pnpm bench:ab`).
 */
function processMetrics(registers: Registry[]): () => void {
  const startedAt = Date.now() / 1000 - process.uptime();
  new Gauge({
    name: 'igepay_process_start_time_seconds',
    help: 'When the process started, in unix seconds.',
    registers,
    collect() {
      this.set(startedAt);
    },
  });
  new Gauge({
    name: 'igepay_process_resident_memory_bytes',
    help: 'Resident memory.',
    registers,
    collect() {
      this.set(process.memoryUsage.rss());
    },
  });
  new Gauge({
    name: 'igepay_process_heap_used_bytes',
    help: 'JavaScript heap in use.',
    registers,
    collect() {
      this.set(process.memoryUsage().heapUsed);
    },
  });
  let cpuSeen = 0;
  new Counter({
    name: 'igepay_process_cpu_seconds_total',
    help: 'CPU time used, user and system.',
    registers,
    collect() {
      const { user, system } = process.cpuUsage();
      const seconds = (user + system) / 1e6;
      this.inc(Math.max(0, seconds - cpuSeen));
      cpuSeen = seconds;
    },
  });
  // A 20 ms timer of libuv's: what the event loop was late by, since the last scrape.
  const delay = monitorEventLoopDelay({ resolution: 20 });
  delay.enable();
  new Gauge({
    name: 'igepay_event_loop_delay_p99_seconds',
    help: 'The 99th percentile of event-loop delay since the last scrape.',
    registers,
    collect() {
      this.set(delay.count > 0 ? delay.percentile(99) / 1e9 : 0);
      delay.reset();
    },
  });
  return () => delay.disable();
}
