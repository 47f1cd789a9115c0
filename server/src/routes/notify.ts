import formbody from '@fastify/formbody';
import { NOTIFY_ACK, NOTIFY_PATH, NOTIFY_REJECT } from '@igepay/shared';
import type { FastifyPluginAsync } from 'fastify';
import { toIgepayError } from '../http/error-handler.js';
import { handleNotification } from '../orders/notify.js';
import type { RouteDeps } from './deps.js';

/**
 * `POST /api/igepay/notify`: igepay's payment notification (docs/protocol.md §1.3, §2.2), as a form
 * (or JSON). `success` only once the outcome is durable; `fail` (4xx) for anything not
 * validly signed, which changes nothing.
 */
export const notifyRoutes: FastifyPluginAsync<{ deps: RouteDeps }> = async (app, { deps }) => {
  await app.register(formbody, { bodyLimit: 16 * 1024 });

  // The gateway reads a plain-text body, so even parse errors answer `fail`, not JSON. A
  // 5xx (the store is down) makes igepay resend later, which is what we want.
  app.setErrorHandler((error, request, reply) => {
    const igepayError = toIgepayError(error);
    if (igepayError.statusCode >= 500) {
      request.log.error({ err: error }, 'notification could not be handled; igepay will resend');
    } else {
      request.log.warn({ event: 'notify.rejected', error: igepayError.errorName }, 'notification rejected');
    }
    return reply.status(igepayError.statusCode).type('text/plain; charset=utf-8').send(NOTIFY_REJECT);
  });

  const schema = {
    summary: "igepay's payment notification",
    description:
      'Form-urlencoded (or JSON) as igepay sends it (docs/protocol.md §1.3). Replies `success` (200, text/plain) once the outcome is durable, `fail` (4xx) to anything not validly signed.',
    tags: ['igepay'],
  };
  app.post(NOTIFY_PATH, { bodyLimit: 16 * 1024, schema }, async (request, reply) => {
    const result = await handleNotification({ ...deps, log: request.log }, request.body, deps.now());
    if (!result.accepted) {
      return reply
        .status(result.reason === 'bad-sign' ? 403 : 400)
        .type('text/plain; charset=utf-8')
        .send(NOTIFY_REJECT);
    }
    return reply.status(200).type('text/plain; charset=utf-8').send(NOTIFY_ACK);
  });
};
