import type { FastifyBaseLogger, FastifyRequest } from 'fastify';
import { type DestinationStream, pino } from 'pino';
import { redactSecrets, type Secret } from '../config/secret.js';

/** Options for {@link createLogger}. */
export interface LoggerOptions {
  /** The merchant token: scrubbed from every line, whatever put it there. */
  readonly token: Secret;
  /** Other secrets scrubbed the same way (the forwarding secret). */
  readonly secrets?: readonly Secret[];
  /** pino level; default `info`. */
  readonly level?: string;
  /** Where JSON lines go, as a stream (tests); default: {@link LoggerOptions.destination}. */
  readonly stream?: DestinationStream;
  /** A file path or descriptor for JSON lines; default 1 (stdout). */
  readonly destination?: string | number;
}

const REDACTED = '[redacted]';

/** A request URL without its query values that are secrets (`client_secret`). */
export function safeUrl(url: string): string {
  return url.replace(/([?&]client_secret=)[^&#]*/g, `$1${REDACTED}`);
}

/**
 * The server's pino logger. Three layers keep secrets out of logs: secrets are held in
 * `Secret` objects that print as `[redacted]`; known secret fields are redacted by path;
 * and every line is scrubbed of the secrets' literal values before it is written.
 */
export function createLogger(options: LoggerOptions): FastifyBaseLogger {
  const secrets = [options.token, ...(options.secrets ?? [])].map((secret) => secret.reveal());
  return pino(
    {
      level: options.level ?? 'info',
      redact: {
        // Few, explicit paths: redaction runs on every line (wildcards cost a twentieth of a
        // notification, profiled), and the streamWrite scrub below catches the token anywhere.
        paths: [
          'token',
          'config.token',
          'client_secret',
          'password',
          'secret',
          'req.headers.authorization',
          'req.headers.cookie',
        ],
        censor: REDACTED,
      },
      serializers: {
        req: (req: FastifyRequest) => ({
          method: req.method,
          url: safeUrl(req.url),
          remoteAddress: req.ip,
        }),
      },
      hooks: {
        streamWrite: (line) => redactSecrets(line, secrets),
      },
    },
    options.stream ??
      // Lines are gathered into 4 KiB writes (a write per line showed in a notification's
      // profile), and flushed at least every 250 ms and on exit.
      pino.destination({ dest: options.destination ?? 1, sync: false, minLength: 4096, periodicFlush: 250 }),
  );
}
