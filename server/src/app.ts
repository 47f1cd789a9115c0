import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import cors from '@fastify/cors';
import rateLimit from '@fastify/rate-limit';
import Fastify, { type FastifyInstance, LogController } from 'fastify';
import { validatorCompiler } from 'fastify-type-provider-zod';
import type { DestinationStream } from 'pino';
import type { Config } from './config.js';
import { errorHandler } from './error-handler.js';
import { IgepayError } from './errors.js';
import { Deliverer } from './fulfillment/deliverer.js';
import { DEFAULT_RETRY, type RetryPolicy } from './fulfillment/retry.js';
import { callbackSink, type DeliverOnce, forwardSink, type OnPaid } from './fulfillment/sinks.js';
import { createLogger } from './logger.js';
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
import { sandboxMode } from './sandbox/mode.js';
import { serializerCompiler } from './serializer.js';
import { openStore } from './store/open-store.js';
import type { OrderStore, Sink } from './store/store.js';

/** Options for {@link buildApp}. */
export interface BuildAppOptions {
  /** The parsed settings (`loadConfig(process.env)`). */
  readonly config: Config;
  /** The order store; by default the one `config.database` names, opened here and closed with the app. */
  readonly store?: OrderStore;
  /** Logging: `false` for none; otherwise a level (default `info`) and where lines go (default stdout). */
  readonly logger?:
    | false
    | {
        readonly level?: string;
        readonly stream?: DestinationStream;
        readonly destination?: string | number;
      };
  /** The clock, in epoch milliseconds (tests move it to expire orders). Default `Date.now`. */
  readonly now?: () => number;
  /** How often pending orders are checked for expiry. Default 1000 ms. */
  readonly expirySweepMs?: number;
  /**
   * An HTTP server already listening, to serve on instead of calling `listen`: a port the
   * system picked (`PORT=0`) is known before the app is built, so `PUBLIC_URL` can name it.
   * The app closes it.
   */
  readonly server?: Server;
  /** The built widget served as `/widget.js`. Default: `@igepay/widget`'s `dist/widget.js`. */
  readonly widgetFile?: string;
  /**
   * Called for every paid order, once it is durable (at least once: a throw or rejection is
   * retried like a failed delivery; dedupe on `event.id`).
   */
  readonly onPaid?: OnPaid;
  /** How event deliveries are retried. Default {@link DEFAULT_RETRY} (up to 3 days). */
  readonly retry?: RetryPolicy;
  /** How often due deliveries are looked for. Default 1000 ms. */
  readonly deliveryPollMs?: number;
}

// Long polls hold requests up to 30 s; keep-alive sockets must outlive them.
const KEEP_ALIVE_MS = 35_000;
const REQUEST_TIMEOUT_MS = 60_000;

/** Largest request body anywhere: checkout and notification bodies are a few hundred bytes. */
const BODY_LIMIT = 16 * 1024;

/** Serves on a server that is already listening, with the timeouts Fastify would have set. */
function adoptServer(server: Server) {
  return (handler: (request: IncomingMessage, response: ServerResponse) => void): Server => {
    server.keepAliveTimeout = KEEP_ALIVE_MS;
    server.requestTimeout = REQUEST_TIMEOUT_MS;
    server.on('request', handler);
    return server;
  };
}

/**
 * Builds the signing server without listening (Fastify's testing-guide shape): `inject`
 * requests into it, or `listen` as `main` does. Closing the app closes what it opened.
 */
export async function buildApp(options: BuildAppOptions): Promise<FastifyInstance> {
  const { config } = options;
  const now = options.now ?? Date.now;
  const loggerInstance =
    options.logger === false
      ? undefined
      : createLogger({
          token: config.token,
          secrets: config.forward ? [config.forward.secret] : [],
          level: options.logger?.level ?? 'info',
          ...(options.logger?.stream && { stream: options.logger.stream }),
          ...(options.logger?.destination !== undefined && { destination: options.logger.destination }),
        });

  const app = Fastify({
    ...(loggerInstance ? { loggerInstance } : { logger: false }),
    bodyLimit: BODY_LIMIT,
    // Two access-log lines per request cost more than a checkout's signing and storing
    // (profiled); payments, refusals and errors are logged as events instead.
    logController: new LogController({ disableRequestLogging: true }),
    // One logger for all requests: a per-request child (for a request id) cost more than the
    // one event line a request logs, and every event names its order instead.
    childLoggerFactory: (logger) => logger,
    keepAliveTimeout: KEEP_ALIVE_MS,
    requestTimeout: REQUEST_TIMEOUT_MS,
    // Errors raised before routing (a malformed URL) get our { code, msg } shape too.
    frameworkErrors: (error, request, reply) => errorHandler(error, request, reply),
    ...(options.server && { serverFactory: adoptServer(options.server) }),
  });
  if (options.server) {
    const { server } = options;
    app.addHook('onClose', async () => {
      server.closeIdleConnections();
      await new Promise((resolve) => server.close(resolve));
    });
  }

  const sinks: Partial<Record<Sink, DeliverOnce>> = {
    ...(config.forward && { forward: forwardSink(config.forward, now) }),
    ...(options.onPaid && { callback: callbackSink(options.onPaid) }),
  };
  const store = options.store ?? (await openStore(config.database, Object.keys(sinks) as Sink[]));
  const ownsStore = options.store === undefined;
  const waiters = new Waiters(store);
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
    if (ownsStore) await store.close();
  });

  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  app.setErrorHandler(errorHandler);
  app.setNotFoundHandler((_request, reply) => {
    const error = new IgepayError('IGEPAY_ERR_ROUTE_NOT_FOUND');
    return reply.status(error.statusCode).send(error.toReply());
  });
  app.addHook('onRequest', (_request, reply, done) => {
    reply.header('x-content-type-options', 'nosniff');
    // Every reply says when no real money can move.
    if (config.sandbox) reply.header('igepay-sandbox', '1');
    done();
  });

  await app.register(rateLimit, {
    global: false,
    errorResponseBuilder: (_request, context) =>
      new IgepayError('IGEPAY_ERR_RATE_LIMITED', {
        msg: `Too many checkouts from this address; try again in ${context.after}.`,
      }),
  });

  const deps: RouteDeps = { config, store, waiters, now };
  // The JSON API takes JSON only: a cross-site form cannot post to it without a CORS preflight.
  await app.register(async (api) => {
    // CORS only where pages call: igepay's notification and the return page need none.
    await api.register(cors, { origin: [...config.allowedOrigins], methods: ['GET', 'POST'], maxAge: 600 });
    api.removeContentTypeParser('text/plain');
    await api.register(checkoutRoutes, { deps });
    await api.register(orderRoutes, { deps });
    await api.register(configRoutes, { deps });
  });
  await app.register(notifyRoutes, { deps });
  await app.register(returnRoutes, { deps });
  await app.register(healthRoutes, { deps });
  await app.register(widgetRoutes, { file: options.widgetFile ?? defaultWidgetFile() });
  if (config.sandbox) await app.register(sandboxMode, { deps });

  return app;
}
