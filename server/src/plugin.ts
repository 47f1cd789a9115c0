import cors, { type FastifyCorsOptions } from '@fastify/cors';
import { IgepayError } from '@igepay/shared';
import type { FastifyInstance, FastifyPluginAsync } from 'fastify';
import fp from 'fastify-plugin';
import { validatorCompiler } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Config } from './config/config.js';
import { Deliverer } from './fulfillment/deliverer.js';
import { DEFAULT_RETRY, type RetryPolicy } from './fulfillment/retry.js';
import { callbackSink, type DeliverOnce, forwardSink, type OnPaid } from './fulfillment/sinks.js';
import { errorHandler } from './http/error-handler.js';
import { openApiDocumentRoute } from './http/openapi.js';
import { serializerCompiler } from './http/serializer.js';
import { loadMetrics, type MetricsView } from './metrics/load.js';
import { startExpirySweeper } from './orders/expiry.js';
import { Waiters } from './orders/waiters.js';
import { checkoutRoutes } from './routes/checkout.js';
import { configRoutes } from './routes/config.js';
import type { RouteDeps } from './routes/deps.js';
import { healthRoutes } from './routes/health.js';
import { notifyRoutes } from './routes/notify.js';
import { orderRoutes } from './routes/orders.js';
import { returnRoutes } from './routes/return.js';
import { defaultWidgetFile, widgetRoutes } from './routes/widget.js';
import { openStore } from './store/open-store.js';
import type { OrderStore, Sink } from './store/order-store.js';

/** Options of {@link igepayPlugin}. */
export interface IgepayPluginOptions {
  /** The parsed settings (`loadConfig(process.env)`). `PUBLIC_URL` must end with `prefix`. */
  readonly config: Config;
  /** Where the routes are mounted (`/pay`); default the root. */
  readonly prefix?: string;
  /** The order store; by default the one `config.database` names, opened here and closed with the app. */
  readonly store?: OrderStore;
  /**
   * Called for every paid order once it is durable, at least once: a throw or rejection is
   * retried like a failed delivery (dedupe on `event.id`).
   */
  readonly onPaid?: OnPaid;
  /** The clock, in epoch milliseconds (tests move it to expire orders). Default `Date.now`. */
  readonly now?: () => number;
  /** How often pending orders are checked for expiry. Default 1000 ms. */
  readonly expirySweepMs?: number;
  /**
   * How event deliveries are retried. Default {@link DEFAULT_RETRY}: from 30 s
   * (`IGEPAY_FORWARD_RETRY_SECONDS`), doubling, for up to 3 days.
   */
  readonly retry?: RetryPolicy;
  /** How often due deliveries are looked for. Default 1000 ms. */
  readonly deliveryPollMs?: number;
  /** The built widget served as `/widget.js`. Default: the one this package ships (`widget/widget.js`). */
  readonly widgetFile?: string;
  /** The built dashboard served at `/admin/` (with `IGEPAY_ADMIN_PASSWORD_HASH`). Default: this package's `dashboard`. */
  readonly dashboardDir?: string;
}

/** What the plugin decorates the Fastify instance with, as `fastify.igepay`. */
export interface IgepayDecorator {
  readonly config: Config;
  readonly store: OrderStore;
  /** The Prometheus metrics, when `IGEPAY_METRICS_*` asks for them (`metrics.registry` to serve them yourself). */
  readonly metrics: MetricsView | undefined;
}

declare module 'fastify' {
  interface FastifyInstance {
    /** The igepay plugin's settings and order store. */
    igepay: IgepayDecorator;
  }
}

const isFunction = (value: unknown) => typeof value === 'function';
// For JavaScript callers: the interface above says the same to TypeScript.
const OptionsSchema = z.object({
  config: z.custom<Config>(
    (value) => typeof value === 'object' && value !== null && 'publicUrl' in value && 'token' in value,
    'must be the parsed settings of loadConfig()',
  ),
  prefix: z
    .string()
    .regex(/^(\/[A-Za-z0-9._~-]+)*$/, 'must be a path like /pay, without a trailing slash')
    .optional(),
  store: z
    .custom<OrderStore>((value) => typeof value === 'object' && value !== null && 'markPaid' in value)
    .optional(),
  onPaid: z.custom<OnPaid>(isFunction, 'must be a function').optional(),
  now: z.custom<() => number>(isFunction, 'must be a function').optional(),
  expirySweepMs: z.number().int().positive().optional(),
  retry: z
    .object({
      baseMs: z.number().positive(),
      maxMs: z.number().positive(),
      giveUpAfterMs: z.number().positive(),
    })
    .optional(),
  deliveryPollMs: z.number().int().positive().optional(),
  widgetFile: z.string().min(1).optional(),
  dashboardDir: z.string().min(1).optional(),
});

/** Refuses options that cannot work, naming the option (`IGEPAY_ERR_PLUGIN_OPTIONS`). */
function checkOptions(options: IgepayPluginOptions): void {
  const parsed = OptionsSchema.safeParse(options);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new IgepayError('IGEPAY_ERR_PLUGIN_OPTIONS', {
      msg: `igepay plugin: option ${issue?.path.join('.') || '(options)'} ${issue?.message ?? 'is invalid'}`,
    });
  }
  const prefix = options.prefix ?? '';
  // notify_url and return_url are PUBLIC_URL plus the route: PUBLIC_URL must point at the prefix.
  if (new URL(options.config.publicUrl).pathname.replace(/\/$/, '') !== prefix) {
    throw new IgepayError('IGEPAY_ERR_PLUGIN_OPTIONS', {
      msg: `igepay plugin: PUBLIC_URL (${options.config.publicUrl}) must end with the prefix "${prefix}"`,
    });
  }
}

const igepay: FastifyPluginAsync<IgepayPluginOptions> = async (app, options) => {
  checkOptions(options);
  const { config } = options;
  // Before the store opens: a missing prom-client stops start-up with nothing to close.
  const MetricsClass = config.metrics ? await loadMetrics() : undefined;
  // The clock orders are dated and expired by: the one given, else the store's (the database's,
  // shared by every instance), else this machine's. The store is opened below: read it late.
  let clock: () => number = options.now ?? Date.now;
  const now = () => clock();
  const sinks: Partial<Record<Sink, DeliverOnce>> = {
    ...(config.forward && { forward: forwardSink(config.forward, now, config.sandbox === undefined) }),
    ...(options.onPaid && { callback: callbackSink(options.onPaid) }),
  };
  const ownsStore = options.store === undefined;
  const mode = config.sandbox ? 'sandbox' : 'live';
  const store = options.store ?? (await openStore(config.database, Object.keys(sinks) as Sink[], mode));
  // A store opened here was held to the mode as it opened; one given must match it too.
  if (!ownsStore && store.mode !== mode) {
    throw new IgepayError('IGEPAY_ERR_STORE_MODE', {
      msg: `igepay plugin: the store given is a ${store.mode} store, and this server runs ${mode}`,
    });
  }
  const storeClock = store.now?.bind(store);
  if (!options.now && storeClock) clock = storeClock;
  const waiters = new Waiters(store);
  // Made only when served: its process metrics sample the event loop.
  const metrics = MetricsClass && new MetricsClass({ store, waiters, now });
  const deps: RouteDeps = { config, store, waiters, now, metrics, sinks: Object.keys(sinks) as Sink[] };
  try {
    await app.register(async (routes: FastifyInstance) => routesOf(routes, deps, options), {
      prefix: options.prefix ?? '',
    });
  } catch (error) {
    waiters.close();
    if (ownsStore) await store.close();
    throw error;
  }
  const stopSweeper = startExpirySweeper({
    store,
    intervalMs: options.expirySweepMs ?? 1000,
    now,
    log: app.log,
  });
  const deliverer = new Deliverer({
    store,
    sinks,
    retry: options.retry ?? { ...DEFAULT_RETRY, baseMs: config.forward?.retryBaseMs ?? DEFAULT_RETRY.baseMs },
    now,
    log: app.log,
    ...(options.deliveryPollMs !== undefined && { pollMs: options.deliveryPollMs }),
    ...(metrics && { onFailure: (sink: Sink) => metrics.deliveryFailed(sink) }),
  });
  app.addHook('onReady', async () => deliverer.start());
  // Answer held long polls at once when shutting down, finish deliveries in flight, then
  // release the store.
  app.addHook('preClose', async () => {
    stopSweeper();
    waiters.close();
    await deliverer.stop();
  });
  app.addHook('onClose', async () => {
    metrics?.close();
    if (ownsStore) await store.close();
  });
  app.decorate('igepay', { config, store, metrics });
};

/** The JSON API's CORS: the pages of the allowed origins may call it (`pnpm bench:parts` weighs it). */
export function corsOptions(config: Pick<Config, 'allowedOrigins'>): FastifyCorsOptions {
  return {
    origin: [...config.allowedOrigins],
    methods: ['GET', 'POST'],
    maxAge: 600,
    // The widget waits as long as a busy server asks; the id ties a page's report to our log.
    exposedHeaders: ['retry-after', 'x-request-id'],
  };
}

/** Every route, in an encapsulated context with our compilers, error shape and CORS. */
async function routesOf(app: FastifyInstance, deps: RouteDeps, options: IgepayPluginOptions): Promise<void> {
  const { config } = deps;
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  app.setErrorHandler(errorHandler);
  // One hook for what every reply carries (each hook is a cost on every request).
  app.addHook('onRequest', (request, reply, done) => {
    reply.header('x-content-type-options', 'nosniff');
    // The request's id, to find its log lines (ours, or the host app's ids when embedded).
    reply.header('x-request-id', request.id);
    // Every reply says when no real money can move.
    if (config.sandbox) reply.header('igepay-sandbox', '1');
    done();
  });
  // The limits are per route (checkout, the dashboard's sign-in): with neither, none is loaded.
  if (config.rateLimitPerMinute > 0 || config.admin) {
    const { default: rateLimit } = await import('@fastify/rate-limit');
    await app.register(rateLimit, {
      global: false,
      // Keyed on request.ip (the buyer's behind a trusted proxy: IGEPAY_TRUST_PROXY, or the host
      // app's trustProxy), an IPv6 client by its /64: one subscriber's block, not 2^64 buckets.
      ipv6Subnet: 64,
      errorResponseBuilder: (_request, context) =>
        new IgepayError('IGEPAY_ERR_RATE_LIMITED', {
          msg: `Too many checkouts from this address; try again in ${context.after}.`,
        }),
    });
  }
  // The JSON API takes JSON only: a cross-site form cannot post to it without a CORS preflight.
  await app.register(async (api) => {
    // CORS only where pages call: igepay's notification and the return page need none.
    await api.register(cors, corsOptions(config));
    api.removeContentTypeParser('text/plain');
    await api.register(checkoutRoutes, { deps });
    await api.register(orderRoutes, { deps });
  });
  // Any page may read the settings (CORS `*`): one not allowed to pay learns why.
  await app.register(configRoutes, { deps });
  await app.register(notifyRoutes, { deps });
  await app.register(returnRoutes, { deps });
  await app.register(healthRoutes, { deps });
  // The dashboard's API, off unless its password is set; outside the CORS of the widget's API.
  // Loaded only then: with their own modules (sessions, reports, CSV), a tenth of start-up.
  if (config.admin) {
    const [{ adminRoutes }, { dashboardRoutes, defaultDashboardDir }] = await Promise.all([
      import('./routes/admin.js'),
      import('./routes/dashboard.js'),
    ]);
    await app.register(adminRoutes, { deps, admin: config.admin });
    await app.register(dashboardRoutes, { dir: options.dashboardDir ?? defaultDashboardDir() });
  }
  await app.register(widgetRoutes, { file: options.widgetFile ?? defaultWidgetFile() });
  // Sandbox mode brings its own routes (the simulator, the demo shop): the core never loads them.
  if (config.sandbox) await app.register(config.sandbox.routes, { config, now: deps.now });
  await app.register(openApiDocumentRoute);
}

/**
 * The igepay routes as a Fastify plugin, for an app of your own: checkout, order status,
 * igepay's notification and return page, `/widget.js`, and (in sandbox mode) the simulator,
 * mounted under `prefix`; paid orders reach `onPaid` and `IGEPAY_FORWARD_URL`. Decorates
 * the instance with `igepay` (`{ config, store }`). The standalone server is this plugin.
 */
export const igepayPlugin = fp(igepay, { fastify: '5.x', name: '@igepay/server' });
