/**
 * What every dashboard route stands behind: a live session (a change: also the page's own
 * origin and the session's CSRF token), nothing cached, no CORS, and the audit trail's entries.
 */
import { ADMIN_PATH, IgepayError } from '@igepay/shared';
import type { FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { csrfMatches, hashToken, isLive, needsTouch, tokenOf } from '../../admin/sessions.js';
import type { AdminConfig } from '../../config/config.js';
import type { AdminAction, AdminSession } from '../../store/order-store.js';
import type { RouteDeps } from '../deps.js';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** What a dashboard route needs: a session (by default), also origin and CSRF ('change'), or nothing ('open'). */
    admin?: 'change' | 'open';
  }
}

/** The Fastify instance the admin routes are declared on. */
export type AdminApp = Parameters<FastifyPluginAsyncZod>[0];

/** What the guard gives the routes. */
export interface AdminGuard {
  /** The session the guard found for this request (every route but sign-in has one). */
  session(request: FastifyRequest): AdminSession;
  /** A browser sends `Origin` with every POST and DELETE; another site's page cannot forge it. */
  fromOwnOrigin(request: FastifyRequest): boolean;
  /** An entry of the audit trail: the session is named by a prefix of its hash, nothing reusable. */
  audit(
    request: FastifyRequest,
    session: AdminSession,
    action: string,
    at: number,
    about?: { target?: string; note?: string },
  ): AdminAction;
  /** Whether cookies are `Secure` (the dashboard is served over https). */
  readonly secure: boolean;
}

/** Installs the guard on `app` (hooks and the preflight answer) and returns what routes use. */
export function guardAdmin(app: AdminApp, deps: RouteDeps, admin: AdminConfig): AdminGuard {
  const { store } = deps;
  const ownOrigin = new URL(deps.config.publicUrl).origin;
  const secure = ownOrigin.startsWith('https:');

  const sessions = new WeakMap<FastifyRequest, AdminSession>();
  app.addHook('onSend', async (_request, reply) => {
    reply.header('cache-control', 'no-store');
  });

  // Every read needs a live session; the routes that need more (or, to sign in, none) say so
  // with `config.admin`: 'change' checks origin and CSRF too, 'open' nothing. Checked as the
  // request arrives, before its body is read: without a session, nothing else answers.
  app.addHook('onRequest', async (request) => {
    const need = request.routeOptions.config.admin;
    if (need === 'open') return;
    sessions.set(request, need === 'change' ? await changeAllowed(request) : await signedIn(request));
  });

  /** The session the onRequest hook found for this request. */
  const sessionOfRequest = (request: FastifyRequest): AdminSession => {
    const session = sessions.get(request);
    if (!session) throw new IgepayError('IGEPAY_ERR_SIGNED_OUT');
    return session;
  };

  // The widget's CORS answers preflights for every path (its OPTIONS * route); this more
  // specific route answers the dashboard's, with no CORS: another origin may not call it.
  app.options(`${ADMIN_PATH}/*`, { schema: { hide: true }, config: { admin: 'open' } }, async () => {
    throw new IgepayError('IGEPAY_ERR_ROUTE_NOT_FOUND');
  });

  /** A browser sends `Origin` with every POST and DELETE; another site's page cannot forge it. */
  const fromOwnOrigin = (request: FastifyRequest) => request.headers.origin === ownOrigin;

  /** The live session the request's cookie opens, or `undefined` (an expired one is removed). */
  async function sessionOf(request: FastifyRequest): Promise<AdminSession | undefined> {
    const token = tokenOf(request.headers.cookie);
    if (!token) return undefined;
    const idHash = hashToken(token, admin.passwordHash);
    const session = await store.getAdminSession(idHash);
    if (!session) return undefined;
    const now = deps.now();
    if (!isLive(session, now)) {
      await store.deleteAdminSessions({ idHash });
      return undefined;
    }
    if (needsTouch(session, now)) await store.touchAdminSession(idHash, now);
    return session;
  }

  async function signedIn(request: FastifyRequest): Promise<AdminSession> {
    const session = await sessionOf(request);
    if (!session) throw new IgepayError('IGEPAY_ERR_SIGNED_OUT');
    return session;
  }

  /** The session of a request that may change something: own origin, live session, CSRF token. */
  async function changeAllowed(request: FastifyRequest): Promise<AdminSession> {
    if (!fromOwnOrigin(request)) throw new IgepayError('IGEPAY_ERR_FORBIDDEN');
    const session = await sessionOf(request);
    if (!session) throw new IgepayError('IGEPAY_ERR_SIGNED_OUT');
    if (!csrfMatches(session, request.headers['x-csrf-token'])) throw new IgepayError('IGEPAY_ERR_FORBIDDEN');
    return session;
  }

  /** An entry of the audit trail: the session is named by a prefix of its hash, nothing reusable. */
  const audit = (
    request: FastifyRequest,
    session: AdminSession,
    action: string,
    at: number,
    about: { target?: string; note?: string } = {},
  ): AdminAction => ({
    at,
    action,
    session: session.idHash.slice(0, 12),
    client: request.ip,
    target: about.target ?? null,
    note: about.note ?? null,
  });

  return { session: sessionOfRequest, fromOwnOrigin, audit, secure };
}
