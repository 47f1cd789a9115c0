import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { AdminConfig } from '../config/config.js';
import { actionRoutes } from './admin/actions.js';
import { guardAdmin } from './admin/guard.js';
import { readRoutes } from './admin/reads.js';
import { sessionRoutes } from './admin/session.js';
import type { RouteDeps } from './deps.js';

export { SIGN_IN_PER_MINUTE, SIGN_IN_PER_MINUTE_IN_ALL } from './admin/session.js';

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
  // One guard for every route, declared in this one context (its hooks cover them all).
  const guard = guardAdmin(app, deps, admin);
  sessionRoutes(app, deps, admin, guard);
  readRoutes(app, deps);
  actionRoutes(app, deps, guard);
};
