import { IgepayError } from '@igepay/shared';
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import { isStoreFault } from '../store/errors.js';
import { safeUrl } from './logger.js';

const BY_FASTIFY_CODE: Record<string, IgepayError['errorName']> = {
  FST_ERR_CTP_INVALID_MEDIA_TYPE: 'IGEPAY_ERR_UNSUPPORTED_MEDIA_TYPE',
  FST_ERR_CTP_BODY_TOO_LARGE: 'IGEPAY_ERR_BODY_TOO_LARGE',
  FST_ERR_CTP_EMPTY_JSON_BODY: 'IGEPAY_ERR_MALFORMED_BODY',
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: 'IGEPAY_ERR_MALFORMED_BODY',
  FST_ERR_CTP_INVALID_JSON_BODY: 'IGEPAY_ERR_MALFORMED_BODY',
  FST_ERR_BAD_URL: 'IGEPAY_ERR_VALIDATION',
  FST_ERR_ASYNC_CONSTRAINT: 'IGEPAY_ERR_VALIDATION',
};

/** The request a log line is about (no client secret: see safeUrl). */
function where(request: FastifyRequest) {
  return { method: request.method, url: safeUrl(request.url) };
}

/** Turns anything thrown while handling a request into one of our coded errors. */
export function toIgepayError(error: unknown): IgepayError {
  if (error instanceof IgepayError) return error;
  if (hasZodFastifySchemaValidationErrors(error)) {
    const where = (error as { validationContext?: string }).validationContext;
    const issues = error.validation.map((issue) => ({
      path: issue.instancePath.replace(/^\//, '').replaceAll('/', '.') || (where ?? 'body'),
      message: issue.message ?? 'is invalid',
    }));
    const first = issues[0];
    return new IgepayError('IGEPAY_ERR_VALIDATION', {
      ...(first && { msg: `Invalid request: ${first.path} ${first.message}` }),
      issues,
    });
  }
  if (isStoreFault(error)) return new IgepayError('IGEPAY_ERR_STORE_UNAVAILABLE', { cause: error });
  const fastifyError = error as Partial<FastifyError>;
  const mapped = fastifyError.code && BY_FASTIFY_CODE[fastifyError.code];
  if (mapped) return new IgepayError(mapped, { cause: error });
  if (fastifyError.statusCode === 429) return new IgepayError('IGEPAY_ERR_RATE_LIMITED', { cause: error });
  // JSON syntax errors come from the parser as plain 400s.
  if (fastifyError.statusCode === 400) return new IgepayError('IGEPAY_ERR_MALFORMED_BODY', { cause: error });
  if (fastifyError.statusCode === 413) return new IgepayError('IGEPAY_ERR_BODY_TOO_LARGE', { cause: error });
  if (fastifyError.statusCode === 415)
    return new IgepayError('IGEPAY_ERR_UNSUPPORTED_MEDIA_TYPE', { cause: error });
  if (
    fastifyError.statusCode !== undefined &&
    fastifyError.statusCode >= 400 &&
    fastifyError.statusCode < 500
  ) {
    return new IgepayError('IGEPAY_ERR_VALIDATION', {
      msg: 'The request could not be understood.',
      cause: error,
    });
  }
  return new IgepayError('IGEPAY_ERR_INTERNAL', { cause: error });
}

/**
 * The one error handler: a `{ code, msg, error }` reply with the table's status. Details of
 * unexpected faults go to the log, never to the client.
 */
export function errorHandler(error: unknown, request: FastifyRequest, reply: FastifyReply): FastifyReply {
  const igepayError = toIgepayError(error);
  if (igepayError.statusCode >= 500) {
    request.log.error({ err: error, error: igepayError.errorName, ...where(request) }, 'request failed');
  } else {
    request.log.info(
      { error: igepayError.errorName, msg_sent: igepayError.message, ...where(request) },
      'request refused',
    );
  }
  return reply
    .status(igepayError.statusCode)
    .type('application/json; charset=utf-8')
    .send(igepayError.toReply());
}
