import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { IgepayError } from '@igepay/shared';
import Fastify, { type FastifyInstance, type FastifyServerOptions, LogController } from 'fastify';
import { validatorCompiler } from 'fastify-type-provider-zod';
import type { DestinationStream } from 'pino';
import { configSecrets } from './config/config.js';
import { Secret } from './config/secret.js';
import { CONNECTIONS_CHECK_MS, guardConnections } from './http/connections.js';
import { errorHandler } from './http/error-handler.js';
import { createLogger } from './http/logger.js';
import { clientAddress, forwardedByUntrustedPeer, trustFunction } from './http/proxy.js';
import { REQUEST_ID_HEADER, requestIdOf } from './http/request-id.js';
import { RequestLogger } from './http/request-logger.js';
import { serializerCompiler } from './http/serializer.js';
import type { Metrics } from './metrics/metrics.js';
import { serveMetrics } from './metrics/routes.js';
import { type IgepayPluginOptions, igepayPlugin } from './plugin.js';

/**
 * Options for {@link buildApp}: the plugin's ({@link IgepayPluginOptions}, mounted at the
 * root), and how the process logs and listens.
 */
export interface BuildAppOptions extends Omit<IgepayPluginOptions, 'prefix'> {
  /** Logging: `false` for none; otherwise a level (default `info`) and where lines go (default stdout). */
  readonly logger?:
    | false
    | {
        readonly level?: string;
        readonly stream?: DestinationStream;
        readonly destination?: string | number;
      };
  /**
   * An HTTP server already listening, to serve on instead of calling `listen`: a port the
   * system picked (`PORT=0`) is known before the app is built, so `PUBLIC_URL` can name it.
   * The app closes it.
   */
  readonly server?: Server;
}

type CompilersFactory = NonNullable<
  NonNullable<FastifyServerOptions['schemaController']>['compilersFactory']
>;

/** Largest request body anywhere: checkout and notification bodies are a few hundred bytes. */
const BODY_LIMIT = 16 * 1024;

/** Serves on a server that is already listening (its limits are set by guardConnections). */
function adoptServer(server: Server) {
  return (handler: (request: IncomingMessage, response: ServerResponse) => void): Server => {
    server.on('request', handler);
    return server;
  };
}

/**
 * Builds the signing server without listening (Fastify's testing-guide shape): `inject`
 * requests into it, or `listen` as `main` does. Closing the app closes what it opened.
 */
export async function buildApp(options: BuildAppOptions): Promise<FastifyInstance> {
  const { logger, server, ...plugin } = options;
  const { config } = plugin;
  const loggerInstance =
    logger === false
      ? undefined
      : createLogger({
          token: config.token,
          // Every secret of the settings, as the start-up error and the refused-notification
          // record scrub them: one list (configSecrets), so a new secret is never missed here.
          secrets: configSecrets(config).map((secret) => new Secret(secret)),
          level: logger?.level ?? 'info',
          ...(logger?.stream && { stream: logger.stream }),
          ...(logger?.destination !== undefined && { destination: logger.destination }),
        });

  const trust = trustFunction(config.trustProxy);
  const app = Fastify({
    ...(loggerInstance ? { loggerInstance } : { logger: false }),
    bodyLimit: BODY_LIMIT,
    // Two access-log lines per request outweighed a checkout's signing and storing in its
    // profile; payments, refusals and errors are logged as events instead.
    logController: new LogController({ disableRequestLogging: true }),
    // Without a trusted proxy, X-Forwarded-For is the client's word and is ignored.
    trustProxy: config.trustProxy === undefined ? false : trust,
    requestIdHeader: false,
    genReqId: (request) => requestIdOf(request, trust),
    // Every line a request logs says which request and which client: a refusal can be traced
    // to an address, and through the proxy's log by the id.
    childLoggerFactory: (logger, bindings, _options, request) =>
      new RequestLogger(logger, () => ({ req_id: bindings.reqId, client: clientAddress(request, trust) })),
    // Timeouts and caps are set on the server by guardConnections below; this one only at creation.
    http: { connectionsCheckingInterval: CONNECTIONS_CHECK_MS },
    // Errors raised before routing (a malformed URL) get our { code, msg } shape too.
    frameworkErrors: (error, request, reply) => errorHandler(error, request, reply),
    // The plugin's zod compilers from the root: Fastify's own (Ajv's, fast-json-stringify's),
    // which no route uses, are then never built, nor loaded (Ajv alone was 85 modules of
    // start-up).
    schemaController: {
      // Fastify types these factories for Ajv's schemas; ours compile zod's.
      compilersFactory: {
        buildValidator: () => validatorCompiler,
        buildSerializer: () => serializerCompiler,
      } as unknown as CompilersFactory,
    },
    ...(server && { serverFactory: adoptServer(server) }),
  });
  const connections = guardConnections(app.server, {
    maxConnections: config.maxConnections,
    perClient: config.maxConnectionsPerClient,
    trust,
  });
  // Once: a proxy the server does not trust makes every buyer one client (one rate-limit
  // bucket, one connection count), which one buyer can then use up for everyone.
  let warnedUntrusted = false;
  // A callback, not an async function: a hook on every request, and a promise for each showed.
  app.addHook('onRequest', (request, _reply, done) => {
    if (warnedUntrusted || !forwardedByUntrustedPeer(request.raw, trust)) return done();
    warnedUntrusted = true;
    request.log.warn(
      { event: 'proxy.untrusted', peer: request.socket.remoteAddress },
      `requests arrive through a proxy at ${request.socket.remoteAddress} that IGEPAY_TRUST_PROXY does not name: every buyer counts as that one address against the per-client limits; set IGEPAY_TRUST_PROXY=${request.socket.remoteAddress} (docs/reverse-proxy.md)`,
    );
    done();
  });
  if (server) {
    app.addHook('onClose', async () => {
      server.closeIdleConnections();
      await new Promise((resolve) => server.close(resolve));
    });
  }

  app.setErrorHandler(errorHandler);
  app.setNotFoundHandler((request, reply) => {
    const error = new IgepayError('IGEPAY_ERR_ROUTE_NOT_FOUND');
    return reply.status(error.statusCode).header(REQUEST_ID_HEADER, request.id).send(error.toReply());
  });
  await app.register(igepayPlugin, plugin);
  // The plugin's metrics are a Metrics; its public type shows only their registry (no
  // prom-client types in this package's declarations: prom-client is an optional peer).
  const metrics = app.igepay.metrics as Metrics | undefined;
  if (metrics && config.metrics) {
    metrics.connections = connections;
    serveMetrics(app, metrics, config.metrics);
  }

  return app;
}
