import type { IncomingMessage } from 'node:http';
import { NOTIFY_ACK, NOTIFY_PATH, NOTIFY_REJECT } from '@igepay/shared';
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { configSecrets } from '../config/config.js';
import { toIgepayError } from '../http/error-handler.js';
import { readMultipartFields } from '../notifications/multipart-fields.js';
import { handleNotification } from '../notifications/notify.js';
import { RefusalBudget } from '../notifications/refusal-budget.js';
import { boundedRejected, REJECTED_KEPT, type RejectedInput } from '../notifications/rejected.js';
import type { RouteDeps } from './deps.js';

/** A notification is a few hundred bytes; 16 KiB leaves room for any gateway's extras. */
const BODY_LIMIT = 16 * 1024;

/** Why a body the parsers refused was refused, for the record. */
function refusalOf(error: unknown, message: string): Pick<RejectedInput, 'reason' | 'detail'> {
  const code = (error as { code?: unknown }).code;
  if (code === 'FST_FILES_LIMIT') {
    return {
      reason: 'unreadable',
      detail: 'the multipart body carries a file; a notification has fields only',
    };
  }
  if (code === 'FST_ERR_CTP_BODY_TOO_LARGE') {
    return { reason: 'too-large', detail: `the body is larger than ${BODY_LIMIT} bytes` };
  }
  if (code === 'IGEPAY_MULTIPART_LIMIT') return { reason: 'too-large', detail: message };
  return { reason: 'unreadable', detail: message };
}

/**
 * `POST /api/igepay/notify`: igepay's payment notification (docs/protocol.md §1.3, §1.6, §2.2),
 * read however a PHP gateway posts it: a form (whatever its content type says, or none),
 * `multipart/form-data`, or JSON. `success` only once the outcome is durable; `fail` (4xx) for
 * anything not validly signed, which changes no order and is kept, bounded, for
 * `igepay rejected`.
 */
export const notifyRoutes: FastifyPluginAsync<{ deps: RouteDeps }> = async (app, { deps }) => {
  const secrets = configSecrets(deps.config);
  const budget = new RefusalBudget((untraced, windowMs) =>
    app.log.warn(
      { event: 'notify.rejected-untraced', count: untraced, window_s: windowMs / 1000 },
      'more notifications were refused than are logged; each was answered fail',
    ),
  );
  app.addHook('onClose', async () => budget.close());
  // Logs and keeps a refused notification, within the budget. Never lets a failure to keep
  // the record change the answer: the gateway hears `fail` regardless.
  const traceRefusal = async (
    request: FastifyRequest,
    input: Omit<RejectedInput, 'receivedAt' | 'clientAddress' | 'contentType'>,
  ) => {
    if (!budget.take(request.ip)) return;
    const orderId = input.fields?.order_id;
    request.log.warn(
      {
        event: 'notify.rejected',
        reason: input.reason,
        detail: input.detail,
        ...(orderId !== undefined && { order_id: orderId.slice(0, 60) }),
      },
      'notification rejected',
    );
    try {
      const record = boundedRejected(
        {
          ...input,
          receivedAt: deps.now(),
          clientAddress: request.ip,
          contentType: request.headers['content-type'],
        },
        secrets,
      );
      await deps.store.recordRejected(record, REJECTED_KEPT);
    } catch (error) {
      request.log.error({ err: error }, 'a refused notification could not be recorded');
    }
  };
  const fail = (reply: FastifyReply, status: number) =>
    reply.status(status).type('text/plain; charset=utf-8').send(NOTIFY_REJECT);

  // Every body is read as text here and decoded by the handler, which then has the raw
  // string to keep when it cannot read it. Multipart gets a parser of its own, for fields only.
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'string', bodyLimit: BODY_LIMIT }, (_request, body, done) =>
    done(null, body),
  );
  app.addContentTypeParser(
    'multipart/form-data',
    { bodyLimit: BODY_LIMIT },
    (request: FastifyRequest, payload: IncomingMessage) =>
      readMultipartFields(request.headers, payload, BODY_LIMIT),
  );

  // The gateway reads a plain-text body, so even parse errors answer `fail`, not JSON. Both
  // parsers refuse a bad body with a 4xx; a 5xx (the store is down) makes igepay resend
  // later, which is what we want.
  app.setErrorHandler(async (error, request, reply) => {
    const igepayError = toIgepayError(error);
    const status = igepayError.statusCode;
    deps.metrics?.notification(status >= 500 ? 'failed' : 'rejected');
    if (status >= 500) {
      request.log.error({ err: error }, 'notification could not be handled; igepay will resend');
    } else {
      await traceRefusal(
        request,
        refusalOf(error, error instanceof Error ? error.message : igepayError.message),
      );
    }
    return fail(reply, status);
  });

  const schema = {
    summary: "igepay's payment notification",
    description:
      'A form (any content type, or none), multipart/form-data or JSON, as igepay sends it (docs/protocol.md §1.3). Replies `success` (200, text/plain) once the outcome is durable, `fail` (4xx) to anything not validly signed.',
    tags: ['igepay'],
  };
  app.post(NOTIFY_PATH, { bodyLimit: BODY_LIMIT, schema }, async (request, reply) => {
    const result = await handleNotification({ ...deps, log: request.log }, request.body, deps.now());
    deps.metrics?.notification(result.accepted ? result.outcome : 'rejected');
    if (!result.accepted) {
      await traceRefusal(request, {
        reason: result.reason,
        detail: result.detail,
        fields: result.fields,
        raw: typeof request.body === 'string' ? request.body : undefined,
      });
      return fail(reply, result.reason === 'bad-sign' ? 403 : 400);
    }
    return reply.status(200).type('text/plain; charset=utf-8').send(NOTIFY_ACK);
  });
};
