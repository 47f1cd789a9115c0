/** What the dashboard changes: an event delivered again, a notification marked dealt with; each audited. */
import {
  ADMIN_API,
  ADMIN_PATH,
  IgepayError,
  RedeliveredSchema,
  ResolvedSchema,
  ResolveSchema,
} from '@igepay/shared';
import { z } from 'zod';
import { redeliverEvent } from '../../fulfillment/redeliver.js';
import type { RouteDeps } from '../deps.js';
import type { AdminApp, AdminGuard } from './guard.js';

/** The routes that change something (origin, session and CSRF token, checked by the guard). */
export function actionRoutes(app: AdminApp, deps: RouteDeps, guard: AdminGuard): void {
  const { store } = deps;
  const { audit } = guard;
  const sessionOfRequest = guard.session;

  app.post(
    `${ADMIN_PATH}/${ADMIN_API.redeliver}`,
    {
      schema: {
        summary:
          'Deliver an event to the shop again (same id, same body); the server sends it within a second',
        tags: ['dashboard'],
        params: z.object({ event_id: z.string().min(1).max(100) }),
        response: { 200: RedeliveredSchema },
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
    `${ADMIN_PATH}/${ADMIN_API.resolve}`,
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
        body: ResolveSchema,
        response: { 200: ResolvedSchema },
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
}
