import swagger from '@fastify/swagger';
import Fastify from 'fastify';
import { jsonSchemaTransform } from 'fastify-type-provider-zod';
import type { Config } from '../../src/config/config.js';
import { igepayPlugin } from '../../src/plugin.js';

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
 * The HTTP API described from its zod schemas by @fastify/swagger, as `openapi.json` holds
 * it: the plugin registered under swagger, whose route hook records each route. Only routes
 * with `tags` are the API: the sandbox's pages and the demo shop (which have none) are left out.
 */
export async function describeApi(config: Config): Promise<unknown> {
  const app = Fastify({ logger: false });
  await app.register(swagger, {
    ...INFO,
    transform: (args) =>
      args.schema?.tags
        ? jsonSchemaTransform(args)
        : { schema: { ...args.schema, hide: true }, url: args.url },
  });
  await app.register(igepayPlugin, { config });
  await app.ready();
  const document = app.swagger();
  await app.close();
  return document;
}
