import { existsSync } from 'node:fs';
import { basename, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import fastifyStatic from '@fastify/static';
import { IgepayError, WIDGET_PATH } from '@igepay/shared';
import type { FastifyPluginAsync } from 'fastify';

/**
 * The built widget this package ships, `widget/widget.js` (`pnpm build` copies it there from
 * `@igepay/widget`): the server needs no widget package installed.
 */
export function defaultWidgetFile(): string {
  return fileURLToPath(new URL('../../widget/widget.js', import.meta.url));
}

/**
 * `GET /widget.js`: the `<igepay-button>` module, for `<script type="module">` on any page.
 * Gzip or Brotli as built, an ETag to revalidate, a short cache (the URL is not versioned),
 * and CORS for every origin: a module script from another site is fetched in CORS mode.
 */
export const widgetRoutes: FastifyPluginAsync<{ file: string }> = async (app, { file }) => {
  await app.register(fastifyStatic, {
    root: dirname(file),
    serve: false,
    preCompressed: true,
    etag: true,
    lastModified: false,
    cacheControl: false,
  });
  const schema = { summary: 'The <igepay-button> module', tags: ['widget'] };
  app.get(WIDGET_PATH, { schema }, async (_request, reply) => {
    if (!existsSync(file)) {
      throw new IgepayError('IGEPAY_ERR_ROUTE_NOT_FOUND', {
        msg: 'The widget is not built: run pnpm build (pnpm start and pnpm serve do it).',
      });
    }
    return reply
      .header('cache-control', 'public, max-age=300, stale-while-revalidate=86400')
      .header('vary', 'accept-encoding')
      .header('access-control-allow-origin', '*')
      .header('cross-origin-resource-policy', 'cross-origin')
      .sendFile(basename(file));
  });
};
