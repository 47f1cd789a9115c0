import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { basename, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { negotiate as Negotiate } from '@fastify/accept-negotiator';
import type { send as Send } from '@fastify/send';
import { IgepayError, WIDGET_PATH } from '@igepay/shared';
import type { FastifyPluginAsync } from 'fastify';

/**
 * The built widget this package ships, `widget/widget.js` (`pnpm build` copies it there from
 * `@igepay/widget`): the server needs no widget package installed.
 */
export function defaultWidgetFile(): string {
  return fileURLToPath(new URL('../../widget/widget.js', import.meta.url));
}

/** The encodings the build writes beside the module, best first, and their files' suffixes. */
const BUILT = [
  ['br', '.br'],
  ['gzip', '.gz'],
] as const;

/**
 * The file sender and the encoding negotiator (those of `@fastify/static`), loaded with the
 * first request for the widget: `@fastify/static` with them was a tenth of start-up.
 */
let libraries: { send: typeof Send; negotiate: typeof Negotiate } | undefined;
const load = () => {
  const require = createRequire(import.meta.url);
  libraries ??= { send: require('@fastify/send'), negotiate: require('@fastify/accept-negotiator') };
  return libraries;
};

/**
 * `GET /widget.js`: the `<igepay-button>` module, for `<script type="module">` on any page.
 * Brotli or gzip as built, an ETag to revalidate, a short cache (the URL is not versioned),
 * and CORS for every origin: a module script from another site is fetched in CORS mode.
 */
export const widgetRoutes: FastifyPluginAsync<{ file: string }> = async (app, { file }) => {
  const schema = { summary: 'The <igepay-button> module', tags: ['widget'] };
  app.get(WIDGET_PATH, { schema }, async (request, reply) => {
    if (!existsSync(file)) {
      throw new IgepayError('IGEPAY_ERR_ROUTE_NOT_FOUND', {
        msg: 'The widget is not built: run pnpm build (pnpm start and pnpm serve do it).',
      });
    }
    const { send, negotiate } = load();
    const built = BUILT.filter(([, suffix]) => existsSync(`${file}${suffix}`));
    const encoding =
      negotiate(request.headers['accept-encoding'] ?? '', [...built.map(([name]) => name), 'identity']) ??
      'identity';
    const suffix = built.find(([name]) => name === encoding)?.[1] ?? '';
    const sent = await send(request.raw, encodeURIComponent(`${basename(file)}${suffix}`), {
      root: dirname(file),
      etag: true,
      lastModified: false,
      cacheControl: false,
      contentType: false,
    });
    if (sent.type !== 'file') {
      throw new IgepayError('IGEPAY_ERR_ROUTE_NOT_FOUND', { msg: 'The widget could not be read.' });
    }
    if (suffix) reply.header('content-encoding', encoding);
    return reply
      .status(sent.statusCode)
      .headers(sent.headers)
      .type('text/javascript; charset=utf-8')
      .header('cache-control', 'public, max-age=300, stale-while-revalidate=86400')
      .header('vary', 'accept-encoding')
      .header('access-control-allow-origin', '*')
      .header('cross-origin-resource-policy', 'cross-origin')
      .send(sent.stream);
  });
};
