import { ERRORS, type ErrorReply, type IgepayErrorName } from '@igepay/shared';

/** One problem with one field, as reported to the client. */
export interface FieldIssue {
  readonly path: string;
  readonly message: string;
}

/**
 * An error from the table in `@igepay/shared` (`ERRORS`). Thrown anywhere in the server;
 * the one error handler turns it into a `{ code, msg, error }` reply with its HTTP status.
 */
export class IgepayError extends Error {
  override readonly name = 'IgepayError';
  /** HTTP status of the reply. */
  readonly statusCode: number;
  /** The gateway-shaped numeric code. */
  readonly code: number;

  constructor(
    readonly errorName: IgepayErrorName,
    options: {
      readonly msg?: string;
      readonly issues?: readonly FieldIssue[];
      readonly cause?: unknown;
    } = {},
  ) {
    super(options.msg ?? ERRORS[errorName].msg, { cause: options.cause });
    this.statusCode = ERRORS[errorName].status;
    this.code = ERRORS[errorName].code;
    this.issues = options.issues;
  }

  /** Field problems, for validation errors. */
  readonly issues: readonly FieldIssue[] | undefined;

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
