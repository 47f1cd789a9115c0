import { readFile } from 'node:fs/promises';
import { OPENAPI_PATH } from '@igepay/shared';
import type { FastifyPluginAsync } from 'fastify';

/**
 * The HTTP API's description, as this package ships it: made from the routes' zod schemas
 * when the package is built (server/test/http/openapi.test.ts keeps it current), so the
 * server needs no OpenAPI generator at run time.
 */
const DOCUMENT = new URL('../../openapi.json', import.meta.url);

/** `GET /openapi.json`. */
export const openApiDocumentRoute: FastifyPluginAsync = async (app) => {
  const document = await readFile(DOCUMENT);
  app.get(OPENAPI_PATH, { schema: { hide: true } }, async (_request, reply) =>
    reply
      .header('cache-control', 'public, max-age=300')
      .type('application/json; charset=utf-8')
      .send(document),
  );
};
