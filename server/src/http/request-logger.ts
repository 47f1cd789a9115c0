import type { FastifyBaseLogger } from 'fastify';
import type { Bindings, ChildLoggerOptions } from 'pino';

type Method = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace';

/**
 * A request's logger: the server's, with the request's bindings (`req_id`, `client`) merged
 * into every line it writes. No pino child is made per request: most requests log nothing
 * (payments and refusals are the events), and a child for each showed in the checkout's and
 * the notification's profiles (`pnpm bench:ab`); merging two fields into the one
 * line a request logs costs next to nothing.
 */
export class RequestLogger implements FastifyBaseLogger {
  readonly #parent: FastifyBaseLogger & { isLevelEnabled?(level: string): boolean };
  readonly #bindings: () => Bindings;
  #bound: Bindings | undefined;

  constructor(parent: FastifyBaseLogger, bindings: () => Bindings) {
    this.#parent = parent;
    this.#bindings = bindings;
  }

  get level(): string {
    return this.#parent.level;
  }

  set level(_level: string) {
    // One level for the whole server: a request does not change it.
  }

  // Methods, not arrow properties: a logger is made for every request, and seven closures each
  // were most of what it allocated.
  fatal(...args: unknown[]): void {
    this.#call('fatal', args);
  }
  error(...args: unknown[]): void {
    this.#call('error', args);
  }
  warn(...args: unknown[]): void {
    this.#call('warn', args);
  }
  info(...args: unknown[]): void {
    this.#call('info', args);
  }
  debug(...args: unknown[]): void {
    this.#call('debug', args);
  }
  trace(...args: unknown[]): void {
    this.#call('trace', args);
  }
  silent(): void {}

  child(bindings: Bindings, options?: ChildLoggerOptions): FastifyBaseLogger {
    return this.#parent.child({ ...this.#boundFields(), ...bindings }, options);
  }

  #boundFields(): Bindings {
    this.#bound ??= this.#bindings();
    return this.#bound;
  }

  #call(method: Method, args: unknown[]): void {
    if (this.#parent.isLevelEnabled?.(method) === false) return;
    const log = this.#parent[method] as (...rest: unknown[]) => void;
    const [first, ...rest] = args;
    const bound = this.#boundFields();
    if (first instanceof Error) {
      // As pino logs an error given first: under `err`, its message the line's unless one is given.
      log.call(this.#parent, { ...bound, err: first }, ...(rest.length > 0 ? rest : [first.message]));
    } else if (typeof first === 'object' && first !== null) {
      log.call(this.#parent, { ...bound, ...first }, ...rest);
    } else {
      log.call(this.#parent, bound, first, ...rest);
    }
  }
}
