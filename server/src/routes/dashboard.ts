import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ADMIN_PATH, IgepayError } from '@igepay/shared';
import type { FastifyPluginAsync } from 'fastify';

/** The built dashboard (`pnpm build` copies it here from the `dashboard` package; the package ships it). */
export function defaultDashboardDir(): string {
  return join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'dashboard');
}

/**
 * The dashboard's page may run its own script and style files and call its own server, and
 * nothing else: no inline script or style, no other origin, no frame around it.
 */
export const DASHBOARD_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

/**
 * `GET /admin/`: the dashboard's page (and `/admin` sends the browser there, so that its
 * relative URLs resolve under any prefix), and `/admin/assets/*`, its script, whose names
 * change with their contents. The page needs no session: it asks for the password itself.
 */
export const dashboardRoutes: FastifyPluginAsync<{ dir: string }> = async (app, { dir }) => {
  const page = join(dir, 'index.html');
  // Read once: the page is a few hundred bytes, and it changes only with a new build.
  const html = existsSync(page) ? readFileSync(page, 'utf8') : undefined;
  app.addHook('onSend', async (_request, reply) => {
    reply
      .header('content-security-policy', DASHBOARD_CSP)
      .header('x-frame-options', 'DENY')
      .header('referrer-policy', 'no-referrer')
      .header('cross-origin-opener-policy', 'same-origin')
      .header('cross-origin-resource-policy', 'same-origin');
  });
  const schema = { summary: "The merchant's dashboard", tags: ['dashboard'] };
  app.get(ADMIN_PATH, { schema }, async (_request, reply) => reply.redirect(`${app.prefix}${ADMIN_PATH}/`));
  app.get(`${ADMIN_PATH}/`, { schema }, async (_request, reply) => {
    if (html === undefined) {
      throw new IgepayError('IGEPAY_ERR_ROUTE_NOT_FOUND', {
        msg: 'The dashboard is not built: run pnpm build (pnpm start and pnpm serve do it).',
      });
    }
    return reply.header('cache-control', 'no-cache').type('text/html; charset=utf-8').send(html);
  });
  if (!existsSync(join(dir, 'assets'))) return;
  // Loaded only where the dashboard is served (a password is set): it weighs a tenth of start-up.
  const { default: fastifyStatic } = await import('@fastify/static');
  await app.register(fastifyStatic, {
    root: join(dir, 'assets'),
    prefix: `${ADMIN_PATH}/assets/`,
    decorateReply: false,
    index: false,
    immutable: true,
    maxAge: '365d',
    schemaHide: true,
  });
};
