import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import Fastify, { type FastifyInstance, LogController } from 'fastify';
import type { DestinationStream } from 'pino';
import type { Config } from './config/config.js';
import { DEFAULT_RETRY, type RetryPolicy } from './fulfillment/retry.js';
import type { OnPaid } from './fulfillment/sinks.js';
import { errorHandler } from './http/error-handler.js';
import { IgepayError } from './http/errors.js';
import { createLogger } from './http/logger.js';
import { igepayPlugin } from './plugin.js';
import type { OrderStore } from './store/order-store.js';

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
          secrets: [
            ...(config.forward ? [config.forward.secret] : []),
            ...(config.database.engine === 'postgres' ? [config.database.url, config.database.password] : []),
          ].filter((secret) => secret !== undefined),
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

  app.setErrorHandler(errorHandler);
  app.setNotFoundHandler((_request, reply) => {
    const error = new IgepayError('IGEPAY_ERR_ROUTE_NOT_FOUND');
    return reply.status(error.statusCode).send(error.toReply());
  });
  await app.register(igepayPlugin, {
    config,
    now,
    ...(options.store && { store: options.store }),
    ...(options.onPaid && { onPaid: options.onPaid }),
    ...(options.expirySweepMs !== undefined && { expirySweepMs: options.expirySweepMs }),
    ...(options.retry && { retry: options.retry }),
    ...(options.deliveryPollMs !== undefined && { deliveryPollMs: options.deliveryPollMs }),
    ...(options.widgetFile !== undefined && { widgetFile: options.widgetFile }),
  });

  return app;
}
