import { z } from 'zod';

/**
 * Every error the signing server can answer with, in one table (model: fastify's
 * `lib/errors.js`). Replies use the gateway's own shape, `{ code, msg }` (PROTOCOL.md 1.1),
 * plus `error` (the name below) so a program can switch on a stable string.
 */
export const ERRORS = {
  /** A field is missing, of the wrong type, too long, or not allowed here. */
  IGEPAY_ERR_VALIDATION: { code: 4001, status: 400, msg: 'The request is invalid.' },
  /** The body could not be parsed in its declared content type. */
  IGEPAY_ERR_MALFORMED_BODY: { code: 4002, status: 400, msg: 'The request body could not be parsed.' },
  /** The body's content type is not one this route accepts. */
  IGEPAY_ERR_UNSUPPORTED_MEDIA_TYPE: {
    code: 4003,
    status: 415,
    msg: 'The request body must be JSON (application/json).',
  },
  /** The body is larger than the route allows. */
  IGEPAY_ERR_BODY_TOO_LARGE: { code: 4004, status: 413, msg: 'The request body is too large.' },
  /** `product` names no item of the server's catalog. */
  IGEPAY_ERR_UNKNOWN_PRODUCT: { code: 4005, status: 400, msg: 'There is no such product.' },
  /** An open `price` lies outside `IGEPAY_MIN_PRICE`..`IGEPAY_MAX_PRICE`. */
  IGEPAY_ERR_PRICE_OUT_OF_RANGE: { code: 4006, status: 400, msg: 'The amount is out of the allowed range.' },
  /** No order with this id and client secret. */
  IGEPAY_ERR_ORDER_NOT_FOUND: { code: 4040, status: 404, msg: 'There is no such order.' },
  /** No route at this method and path. */
  IGEPAY_ERR_ROUTE_NOT_FOUND: { code: 4041, status: 404, msg: 'There is nothing at this address.' },
  /** Too many checkouts from one client address in a minute (`IGEPAY_RATE_LIMIT`). */
  IGEPAY_ERR_RATE_LIMITED: { code: 4290, status: 429, msg: 'Too many requests; please try again shortly.' },
  /** The order store cannot be reached or written; nothing was changed. */
  IGEPAY_ERR_STORE_UNAVAILABLE: {
    code: 5030,
    status: 503,
    msg: 'The service is temporarily unavailable; please try again.',
  },
  /** An unexpected fault; details are in the server log, never in the reply. */
  IGEPAY_ERR_INTERNAL: { code: 5000, status: 500, msg: 'Something went wrong on the server.' },
} as const satisfies Record<string, { code: number; status: number; msg: string }>;

/** The name of one of the errors in {@link ERRORS}. */
export type IgepayErrorName = keyof typeof ERRORS;

/** One problem with one field of a request, as listed in an error reply. */
export const ErrorIssueSchema = z.object({
  /** Dotted path of the field, e.g. `price`. */
  path: z.string(),
  /** What is wrong with it. */
  message: z.string(),
});

/** An error reply of the signing server: the gateway's `{ code, msg }` shape and more. */
export const ErrorReplySchema = z.object({
  code: z.number().int(),
  msg: z.string(),
  error: z.string(),
  issues: z.array(ErrorIssueSchema).optional(),
});

/** An error reply of the signing server. */
export type ErrorReply = z.infer<typeof ErrorReplySchema>;
