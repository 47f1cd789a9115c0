/**
 * Every error the signing server can answer with, in one table (model: fastify's
 * `lib/errors.js`). Replies use the gateway's own shape, `{ code, msg }` (docs/protocol.md
 * §1.1), plus `error` (the name below) so a program can switch on a stable string. Errors
 * that stop start-up carry codes from the same table.
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
  /** An open `price` was sent to a server that sells catalog products only (`IGEPAY_OPEN_AMOUNTS=0`). */
  IGEPAY_ERR_OPEN_AMOUNTS_OFF: {
    code: 4007,
    status: 400,
    msg: 'This shop sells catalog products only: send a product, not a price.',
  },
  /** An open `price` lies outside `IGEPAY_MIN_PRICE`..`IGEPAY_MAX_PRICE`. */
  IGEPAY_ERR_PRICE_OUT_OF_RANGE: { code: 4006, status: 400, msg: 'The amount is out of the allowed range.' },
  /** `/metrics` without the bearer token of `IGEPAY_METRICS_TOKEN`. */
  IGEPAY_ERR_UNAUTHORIZED: { code: 4010, status: 401, msg: 'This needs the right bearer token.' },
  /** A dashboard request (`/admin/api/...`) without a live session: sign in first. */
  IGEPAY_ERR_SIGNED_OUT: { code: 4011, status: 401, msg: 'Sign in to the dashboard first.' },
  /** The dashboard's sign-in was given a password that is not its own. */
  IGEPAY_ERR_WRONG_PASSWORD: { code: 4012, status: 401, msg: 'That is not the dashboard password.' },
  /** A dashboard change without the session's CSRF token, or from a page of another origin. */
  IGEPAY_ERR_FORBIDDEN: {
    code: 4030,
    status: 403,
    msg: "Refused: a change needs the dashboard page's CSRF token and its own origin.",
  },
  /** No order with this id and client secret. */
  IGEPAY_ERR_ORDER_NOT_FOUND: { code: 4040, status: 404, msg: 'There is no such order.' },
  /** No route at this method and path. */
  IGEPAY_ERR_ROUTE_NOT_FOUND: { code: 4041, status: 404, msg: 'There is nothing at this address.' },
  /** Too many checkouts from one client address in a minute (`IGEPAY_RATE_LIMIT`). */
  IGEPAY_ERR_RATE_LIMITED: { code: 4290, status: 429, msg: 'Too many requests; please try again shortly.' },
  /** An unexpected fault; details are in the server log, never in the reply. */
  IGEPAY_ERR_INTERNAL: { code: 5000, status: 500, msg: 'Something went wrong on the server.' },
  /** Start-up: an option given to the igepay plugin (or `buildApp`) is invalid. */
  IGEPAY_ERR_PLUGIN_OPTIONS: { code: 5001, status: 500, msg: 'An option of the igepay plugin is invalid.' },
  /** Start-up: the database was written by a newer version of the server. */
  IGEPAY_ERR_SCHEMA_TOO_NEW: {
    code: 5002,
    status: 500,
    msg: 'The database was written by a newer version of the server; upgrade the server.',
  },
  /** Start-up: the database was made by a server of the other mode (sandbox or live). */
  IGEPAY_ERR_STORE_MODE: {
    code: 5003,
    status: 500,
    msg: 'The database belongs to a server of the other mode (sandbox or live).',
  },
  /** The order store cannot be reached or written; nothing was changed. */
  IGEPAY_ERR_STORE_UNAVAILABLE: {
    code: 5030,
    status: 503,
    msg: 'The service is temporarily unavailable; please try again.',
  },
  /** Too many status reads are held at once; the reply's `Retry-After` says when to ask again. */
  IGEPAY_ERR_BUSY: {
    code: 5031,
    status: 503,
    msg: 'The server is holding too many status requests; please try again shortly.',
  },
} as const satisfies Record<string, { code: number; status: number; msg: string }>;

/** The name of one of the errors in {@link ERRORS}. */
export type IgepayErrorName = keyof typeof ERRORS;

/** `<igepay-button>`'s code for a signing server it could not reach. */
export const NETWORK_ERROR_CODE = 0;
/** `<igepay-button>`'s code for a payment igepay reported failed (a `code` other than `0000`). */
export const PAYMENT_FAILED_CODE = 4020;
/** `<igepay-button>`'s code for an order nobody paid within its time to live. */
export const ORDER_EXPIRED_CODE = 4100;

/**
 * The codes only `<igepay-button>` reports in its `igepay-error` event, beside the server's
 * own ({@link ERRORS}): no server ever answers with these. The element says what happened
 * in the buyer's language; these say it to programs. (Each is a constant of its own too, so
 * the widget's bundle carries three numbers, not the table.)
 */
export const WIDGET_ERRORS = {
  IGEPAY_ERR_NETWORK: { code: NETWORK_ERROR_CODE },
  IGEPAY_ERR_PAYMENT_FAILED: { code: PAYMENT_FAILED_CODE },
  IGEPAY_ERR_ORDER_EXPIRED: { code: ORDER_EXPIRED_CODE },
} as const satisfies Record<string, { code: number }>;

/** One problem with one field of a request, as listed in an error reply. */
export interface ErrorIssue {
  /** Dotted path of the field, e.g. `price`. */
  readonly path: string;
  /** What is wrong with it. */
  readonly message: string;
}

/** An error reply of the signing server: the gateway's `{ code, msg }` shape and more. */
export interface ErrorReply {
  readonly code: number;
  readonly msg: string;
  readonly error: string;
  readonly issues?: ErrorIssue[] | undefined;
}

/**
 * An error from {@link ERRORS}. Thrown anywhere in the server; its one error handler turns it
 * into a `{ code, msg, error }` reply with the table's HTTP status.
 */
export class IgepayError extends Error {
  override readonly name = 'IgepayError';
  /** HTTP status of the reply. */
  readonly statusCode: number;
  /** The gateway-shaped numeric code. */
  readonly code: number;
  /** Field problems, for validation errors. */
  readonly issues: readonly ErrorIssue[] | undefined;

  constructor(
    readonly errorName: IgepayErrorName,
    options: {
      /** Replaces the table's message (never with a secret: it is sent to the client). */
      readonly msg?: string;
      readonly issues?: readonly ErrorIssue[];
      readonly cause?: unknown;
    } = {},
  ) {
    super(options.msg ?? ERRORS[errorName].msg, { cause: options.cause });
    this.statusCode = ERRORS[errorName].status;
    this.code = ERRORS[errorName].code;
    this.issues = options.issues;
  }

  /** The reply body. */
  toReply(): ErrorReply {
    return {
      code: this.code,
      msg: this.message,
      error: this.errorName,
      ...(this.issues ? { issues: [...this.issues] } : {}),
    };
  }
}
