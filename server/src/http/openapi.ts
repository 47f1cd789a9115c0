import swagger from '@fastify/swagger';
import { OPENAPI_PATH } from '@igepay/shared';
import type { FastifyPluginAsync } from 'fastify';
import fp from 'fastify-plugin';
import { jsonSchemaTransform } from 'fastify-type-provider-zod';

/** The document's fixed part; paths come from the routes' zod schemas. */
const INFO = {
  openapi: {
    openapi: '3.1.0' as const,
    info: {
      title: 'igepay checkout signing server',
      version: '0.1.0',
      description:
        'Creates and signs igepay orders for pages, follows their verified status, and takes igepay’s payment notifications. The gateway protocol and this contract: docs/protocol.md in the repository.',
    },
    tags: [
      { name: 'checkout', description: 'What pages (and the widget) call' },
      { name: 'igepay', description: 'What igepay and the buyer’s browser reach after paying' },
      { name: 'widget', description: 'The <igepay-button> script' },
      { name: 'operations', description: 'Health' },
    ],
  },
};

/**
 * The HTTP API described from its zod schemas (@fastify/swagger), served as `/openapi.json`.
 * Register before the routes: it records each route as it is added (fastify-plugin, so the
 * routes' context sees `swagger()`). Only routes with `tags` are the API: the sandbox's
 * pages and the demo shop (which have none) are left out.
 */
export const openApiRoutes = fp(async (app) => {
  await app.register(swagger, {
    ...INFO,
    transform: (args) =>
      args.schema?.tags
        ? jsonSchemaTransform(args)
        : { schema: { ...args.schema, hide: true }, url: args.url },
  });
});

/** `GET /openapi.json`, registered after the routes it describes. */
export const openApiDocumentRoute: FastifyPluginAsync = async (app) => {
  app.get(OPENAPI_PATH, { schema: { hide: true } }, async (_request, reply) =>
    reply.header('cache-control', 'public, max-age=300').send(app.swagger()),
  );
};
