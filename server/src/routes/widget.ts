import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { basename, dirname, join } from 'node:path';
import fastifyStatic from '@fastify/static';
import { IgepayError, WIDGET_PATH } from '@igepay/shared';
import type { FastifyPluginAsync } from 'fastify';

/** The built widget, `@igepay/widget`'s `dist/widget.js` (made by `pnpm build`). */
export function defaultWidgetFile(): string {
  const manifest = createRequire(import.meta.url).resolve('@igepay/widget/package.json');
  return join(dirname(manifest), 'dist', 'widget.js');
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
