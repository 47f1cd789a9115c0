/** Signing in and out of the dashboard: the session and its cookie. */
import { ADMIN_API, ADMIN_PATH, AdminSessionSchema, IgepayError, SignInSchema } from '@igepay/shared';
import { z } from 'zod';
import { verifyPassword } from '../../admin/password.js';
import { ABSOLUTE_MS, IDLE_MS, newSession, sessionCookie } from '../../admin/sessions.js';
import type { AdminConfig } from '../../config/config.js';
import type { AdminSession } from '../../store/order-store.js';
import type { RouteDeps } from '../deps.js';
import type { AdminApp, AdminGuard } from './guard.js';

const SESSION_PATH = `${ADMIN_PATH}/${ADMIN_API.session}`;
/** A reply without a body. */
const NO_CONTENT = z.void().describe('No content');
/** Sign-in attempts one client address may make in a minute. */
export const SIGN_IN_PER_MINUTE = 5;
/**
 * Sign-in attempts this server takes in a minute from everyone: the ceiling that holds when the
 * addresses do not (many machines, or a client that names itself where hops are trusted).
 */
export const SIGN_IN_PER_MINUTE_IN_ALL = 20;

/** The session routes: sign in (`POST`), read (`GET`), sign out (`DELETE`), everywhere (`DELETE …/sessions`). */
export function sessionRoutes(app: AdminApp, deps: RouteDeps, admin: AdminConfig, guard: AdminGuard): void {
  const { store } = deps;
  const { fromOwnOrigin, audit, secure } = guard;
  const sessionOfRequest = guard.session;
  // This instance's sign-in attempts in the current minute (SIGN_IN_PER_MINUTE_IN_ALL).
  let attempts = { since: 0, count: 0 };

  const reply = (session: AdminSession) => ({
    csrf_token: session.csrfToken,
    signed_in_at: new Date(session.createdAt).toISOString(),
    expires_at: new Date(session.createdAt + ABSOLUTE_MS).toISOString(),
    livemode: store.mode === 'live',
  });

  app.post(
    SESSION_PATH,
    {
      schema: {
        summary: 'Sign in to the dashboard with its password',
        tags: ['dashboard'],
        body: SignInSchema,
        response: { 201: AdminSessionSchema },
      },
      // Another site's page is refused before anything counts: five of those must not lock
      // the merchant out. The limit counts attempts that reach the password (preHandler).
      onRequest: async (request) => {
        if (!fromOwnOrigin(request)) throw new IgepayError('IGEPAY_ERR_FORBIDDEN');
      },
      config: {
        admin: 'open',
        rateLimit: {
          hook: 'preHandler',
          max: SIGN_IN_PER_MINUTE,
          timeWindow: 60_000,
          errorResponseBuilder: (_request, context) =>
            new IgepayError('IGEPAY_ERR_RATE_LIMITED', {
              msg: `Too many sign-in attempts from this address; try again in ${context.after}.`,
            }),
        },
      },
    },
    async (request, res) => {
      const now = deps.now();
      if (now - attempts.since >= 60_000) attempts = { since: now, count: 0 };
      attempts.count += 1;
      if (attempts.count > SIGN_IN_PER_MINUTE_IN_ALL) {
        throw new IgepayError('IGEPAY_ERR_RATE_LIMITED', {
          msg: 'Too many sign-in attempts on this server; try again in a minute.',
        });
      }
      if (!(await verifyPassword(request.body.password, admin.passwordHash))) {
        request.log.warn({ event: 'admin.sign-in-refused', client: request.ip }, 'dashboard sign-in refused');
        // In the trail with no session (there is none): bounded by the limits above.
        await store.recordAdminAction({
          at: now,
          action: 'sign-in-refused',
          session: '',
          client: request.ip,
          target: null,
          note: null,
        });
        throw new IgepayError('IGEPAY_ERR_WRONG_PASSWORD');
      }
      // Sessions left idle are cleared as new ones begin: the table stays small.
      await store.deleteAdminSessions({ lastSeenBefore: now - IDLE_MS });
      const { token, session } = newSession(now, admin.passwordHash);
      await store.createAdminSession(session);
      await store.recordAdminAction(audit(request, session, 'sign-in', now));
      request.log.info({ event: 'admin.signed-in', client: request.ip }, 'dashboard signed in');
      return res
        .status(201)
        .header('set-cookie', sessionCookie(token, secure, app.prefix))
        .send(reply(session));
    },
  );

  app.get(
    SESSION_PATH,
    {
      schema: {
        summary: "The dashboard session's CSRF token and times",
        tags: ['dashboard'],
        response: { 200: AdminSessionSchema },
      },
    },
    async (request) => reply(sessionOfRequest(request)),
  );

  app.delete(
    `${ADMIN_PATH}/${ADMIN_API.sessions}`,
    {
      schema: {
        summary: 'Sign out everywhere: every session ends, this one too',
        tags: ['dashboard'],
        response: { 204: NO_CONTENT },
      },
      config: { admin: 'change' },
    },
    async (request, res) => {
      const session = sessionOfRequest(request);
      const now = deps.now();
      await store.recordAdminAction(audit(request, session, 'sign-out-all', now));
      await store.deleteAdminSessions({ lastSeenBefore: Number.MAX_SAFE_INTEGER });
      request.log.info(
        { event: 'admin.signed-out-all', client: request.ip },
        'every dashboard session ended',
      );
      return res
        .status(204)
        .header('set-cookie', sessionCookie(undefined, secure, app.prefix))
        .send();
    },
  );

  app.delete(
    SESSION_PATH,
    {
      schema: { summary: 'Sign out: the session ends', tags: ['dashboard'], response: { 204: NO_CONTENT } },
      config: { admin: 'change' },
    },
    async (request, res) => {
      const session = sessionOfRequest(request);
      await store.deleteAdminSessions({ idHash: session.idHash });
      await store.recordAdminAction(audit(request, session, 'sign-out', deps.now()));
      request.log.info({ event: 'admin.signed-out', client: request.ip }, 'dashboard signed out');
      return res
        .status(204)
        .header('set-cookie', sessionCookie(undefined, secure, app.prefix))
        .send();
    },
  );
}
