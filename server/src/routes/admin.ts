import { Readable } from 'node:stream';
import { IgepayError } from '@igepay/shared';
import type { FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { OrdersQuerySchema, ordersCsv, ordersPage } from '../admin/orders.js';
import { overviewOf } from '../admin/overview.js';
import { verifyPassword } from '../admin/password.js';
import {
  ABSOLUTE_MS,
  ADMIN_PATH,
  csrfMatches,
  hashToken,
  IDLE_MS,
  isLive,
  needsTouch,
  newSession,
  sessionCookie,
  tokenOf,
} from '../admin/sessions.js';
import type { AdminConfig } from '../config/config.js';
import { redeliverEvent } from '../fulfillment/redeliver.js';
import { historyJson, unappliedJson } from '../store/json.js';
import type { AdminAction, AdminSession } from '../store/order-store.js';
import type { RouteDeps } from './deps.js';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** What a dashboard route needs: a session (by default), also origin and CSRF ('change'), or nothing ('open'). */
    admin?: 'change' | 'open';
  }
}

const SESSION_PATH = `${ADMIN_PATH}/api/session`;
/** Sign-in attempts one client address may make in a minute. */
export const SIGN_IN_PER_MINUTE = 5;
/**
 * Sign-in attempts this server takes in a minute from everyone: the ceiling that holds when the
 * addresses do not (many machines, or a client that names itself where hops are trusted).
 */
export const SIGN_IN_PER_MINUTE_IN_ALL = 20;

const SessionReplySchema = z.object({
  /** Send it back as `X-CSRF-Token` with every change. */
  csrf_token: z.string(),
  signed_in_at: z.string(),
  /** When the session ends however it is used (it also ends after 30 idle minutes). */
  expires_at: z.string(),
  /** `false` on a sandbox server: the dashboard says so on every page. */
  livemode: z.boolean(),
});

/**
 * The dashboard's API under `/admin/api` (only when `IGEPAY_ADMIN_PASSWORD_HASH` is set): the
 * session (sign in with the password, read it, sign out), the overview, the orders list (and
 * its CSV), one order's timeline, the unapplied notifications and the audit trail, and the
 * actions (redeliver an event, resolve an unapplied notification). No
 * CORS: only the dashboard's own pages may call it; every read needs the session, and every
 * change also its origin and the session's CSRF token, and is kept in the audit trail.
 */
export const adminRoutes: FastifyPluginAsyncZod<{
  deps: RouteDeps;
  admin: AdminConfig;
}> = async (app, { deps, admin }) => {
  const { store } = deps;
  const ownOrigin = new URL(deps.config.publicUrl).origin;
  const secure = ownOrigin.startsWith('https:');

  const sessions = new WeakMap<FastifyRequest, AdminSession>();
  // This instance's sign-in attempts in the current minute (SIGN_IN_PER_MINUTE_IN_ALL).
  let attempts = { since: 0, count: 0 };
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
        body: z.object({ password: z.string().min(1).max(1024) }),
        response: { 201: SessionReplySchema },
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
        response: { 200: SessionReplySchema },
      },
    },
    async (request) => reply(sessionOfRequest(request)),
  );

  app.get(
    `${ADMIN_PATH}/api/overview`,
    {
      schema: {
        summary: 'Takings today, over 7 and 30 days and per day, and what needs attention',
        tags: ['dashboard'],
        querystring: z.object({
          /** The merchant's time zone in minutes ahead of UTC; China's by default. */
          tz_offset: z
            .string()
            .regex(/^-?\d{1,3}$/, 'must be whole minutes ahead of UTC, e.g. 480')
            .transform(Number)
            .refine((minutes) => minutes >= -720 && minutes <= 840, 'must be from -720 to 840')
            .default(480),
        }),
      },
    },
    async (request) => overviewOf(store, deps.now(), request.query.tz_offset),
  );

  app.get(
    `${ADMIN_PATH}/api/orders`,
    {
      schema: {
        summary:
          'Orders, newest first: filtered, searched, a page at a time (keyset: pass `next` as `after`)',
        tags: ['dashboard'],
        querystring: OrdersQuerySchema,
      },
    },
    async (request) => ordersPage(store, request.query),
  );

  app.get(
    `${ADMIN_PATH}/api/orders.csv`,
    {
      schema: {
        summary: 'Every order the filters select, as CSV',
        tags: ['dashboard'],
        querystring: OrdersQuerySchema,
      },
    },
    async (request, res) =>
      res
        .header('content-type', 'text/csv; charset=utf-8')
        .header('content-disposition', 'attachment; filename="igepay-orders.csv"')
        .send(Readable.from(ordersCsv(store, request.query))),
  );

  app.get(
    `${ADMIN_PATH}/api/orders/:order_id`,
    {
      schema: {
        summary:
          "One order's timeline: the order, each notification received (without its sign), those kept unapplied, its events and every delivery attempt",
        tags: ['dashboard'],
        params: z.object({ order_id: z.string().min(1).max(64) }),
      },
    },
    async (request) => {
      const history = await store.orderHistory(request.params.order_id);
      const { order } = history;
      if (!order) throw new IgepayError('IGEPAY_ERR_ORDER_NOT_FOUND');
      return historyJson({ ...history, order });
    },
  );

  app.get(
    `${ADMIN_PATH}/api/unapplied`,
    {
      schema: {
        summary: 'Notifications igepay signed that could not be applied, unresolved first',
        tags: ['dashboard'],
      },
    },
    async () => {
      const all = (await store.listUnapplied()).map(unappliedJson);
      return {
        unapplied: [...all.filter((u) => !u.resolved_at), ...all.filter((u) => u.resolved_at).reverse()],
      };
    },
  );

  app.get(
    `${ADMIN_PATH}/api/audit`,
    {
      schema: {
        summary: 'The audit trail: every sign-in, sign-out and action, newest first (the last 500)',
        tags: ['dashboard'],
      },
    },
    async () => ({
      actions: (await store.listAdminActions(500)).map((a) => ({
        id: a.id,
        at: new Date(a.at).toISOString(),
        action: a.action,
        session: a.session,
        client: a.client,
        target: a.target,
        note: a.note,
      })),
    }),
  );

  app.post(
    `${ADMIN_PATH}/api/events/:event_id/redeliver`,
    {
      schema: {
        summary:
          'Deliver an event to the shop again (same id, same body); the server sends it within a second',
        tags: ['dashboard'],
        params: z.object({ event_id: z.string().min(1).max(100) }),
      },
      config: { admin: 'change' },
    },
    async (request) => {
      const session = sessionOfRequest(request);
      const { event_id: eventId } = request.params;
      const now = deps.now();
      const queued = await redeliverEvent(store, eventId, deps.sinks, now);
      if (queued === undefined)
        throw new IgepayError('IGEPAY_ERR_ROUTE_NOT_FOUND', { msg: 'There is no such event.' });
      if (queued.length === 0)
        throw new IgepayError('IGEPAY_ERR_VALIDATION', {
          msg: 'The event has nowhere to go: set IGEPAY_FORWARD_URL.',
        });
      await store.recordAdminAction(audit(request, session, 'redeliver', now, { target: eventId }));
      return { id: eventId, queued_for: queued };
    },
  );

  app.post(
    `${ADMIN_PATH}/api/unapplied/:id/resolve`,
    {
      schema: {
        summary: 'Mark a notification that could not be applied as dealt with, with a note',
        tags: ['dashboard'],
        params: z.object({
          id: z
            .string()
            .regex(/^\d{1,15}$/, 'must be the id of an unapplied notification')
            .transform(Number),
        }),
        body: z.object({ note: z.string().trim().min(1, 'say what was done').max(500) }),
      },
      config: { admin: 'change' },
    },
    async (request) => {
      const session = sessionOfRequest(request);
      const now = deps.now();
      const { id } = request.params;
      if (!(await store.resolveUnapplied(id, now, request.body.note)))
        throw new IgepayError('IGEPAY_ERR_ROUTE_NOT_FOUND', {
          msg: 'There is no such unresolved notification.',
        });
      await store.recordAdminAction(
        audit(request, session, 'resolve', now, { target: `unapplied:${id}`, note: request.body.note }),
      );
      return { id, resolved_at: new Date(now).toISOString() };
    },
  );

  app.delete(
    `${ADMIN_PATH}/api/sessions`,
    {
      schema: {
        summary: 'Sign out everywhere: every session ends, this one too',
        tags: ['dashboard'],
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
    { schema: { summary: 'Sign out: the session ends', tags: ['dashboard'] }, config: { admin: 'change' } },
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
};
