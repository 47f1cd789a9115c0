import { z } from 'zod';

/** A setting is missing or wrong. The message is one line that names the variable. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';

  constructor(
    /** The environment variable at fault. */
    readonly variable: string,
    problem: string,
  ) {
    super(`Invalid configuration: ${variable} ${problem}`);
  }
}

/** `PORT`: a port number, `0` letting the system pick one. */
export const portSetting = (fallback: number) =>
  z
    .string()
    .regex(/^\d{1,5}$/, 'must be a port number')
    .transform(Number)
    .refine((port) => port <= 65535, 'must be a port number (0-65535)')
    .default(fallback);

/**
 * A whole number of at most `digits` digits and at least `min`; `what` says what it counts, as
 * its refusal reads (`connections, e.g. 100`).
 */
export const wholeSetting = (what: string, options: { digits: number; min?: number }) =>
  z
    .string()
    .regex(new RegExp(`^\\d{1,${options.digits}}$`), `must be a whole number of ${what}`)
    .transform(Number)
    .refine((count) => count >= (options.min ?? 0), `must be at least ${options.min ?? 0}`);

/** A number of `unit` with up to 3 decimals (`2.5`), as its refusal reads (`minutes, e.g. 30`). */
export const amountSetting = (unit: string) =>
  z
    .string()
    .regex(/^\d{1,6}(\.\d{1,3})?$/, `must be a number of ${unit}`)
    .transform(Number);

/** `HOST`: the address to listen on. */
export const hostSetting = z.string().min(1, 'must not be empty').default('127.0.0.1');

/** A switch: `1`/`true` or `0`/`false`. */
export const flagSetting = z
  .enum(['0', '1', 'true', 'false'], 'must be 1 or 0')
  .transform((v) => v === '1' || v === 'true');

/** `LOG_LEVEL`: a pino level. */
export const logLevelSetting = z
  .enum(
    ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'],
    'must be one of fatal, error, warn, info, debug, trace, silent',
  )
  .default('info');

/**
 * Parses settings from `env` with `schema`. An empty variable means "not set", as in most
 * shells' `VAR= command`. Throws a {@link ConfigError} naming the first variable at fault;
 * messages describe a value's shape, never the value.
 */
export function parseEnv<Schema extends z.ZodType>(
  schema: Schema,
  env: Record<string, string | undefined>,
): z.output<Schema> {
  const present = Object.fromEntries(
    Object.entries(env).filter(([, value]) => value !== undefined && value !== ''),
  );
  const result = schema.safeParse(present);
  if (!result.success) {
    const issue = result.error.issues[0];
    throw new ConfigError(String(issue?.path[0] ?? 'environment'), issue?.message ?? 'is invalid');
  }
  return result.data;
}
