import { z } from 'zod';
import { parseEnv } from '../config/env.js';

/**
 * The simulator's fault modes at payment: what can go wrong between a real gateway and a
 * merchant server. Each can be chosen per order on the pay page, or for every order by
 * configuration.
 */
export const PAY_FAULTS = [
  'duplicate',
  'delay',
  'redirect-first',
  'short-price',
  'respelled-sign',
  'other-key',
  'fail-code',
  'bad-sign',
] as const;

/**
 * Fault modes of the pay request itself, before any pay page exists: configuration only.
 * `html-filter` applies ThinkPHP's default input filter to the posted fields before the key
 * is checked, as the live gateway does (docs/protocol.md §1.6).
 */
export const REQUEST_FAULTS = ['html-filter'] as const;

/** Every fault mode. */
export const FAULTS = [...PAY_FAULTS, ...REQUEST_FAULTS] as const;

/** One fault mode. */
export type Fault = (typeof FAULTS)[number];

/** A fault mode chosen at payment. */
export type PayFault = (typeof PAY_FAULTS)[number];

/**
 * Resend delays after an unacknowledged notification, in seconds: WeChat Pay's published
 * schedule (15 s, 15 s, 30 s, 3 min, 10 min, ... 6 h; about 24 hours in all).
 */
export const DEFAULT_RETRY_SECONDS = [
  15, 15, 30, 180, 600, 1200, 1800, 1800, 1800, 3600, 10800, 10800, 10800, 21600, 21600,
] as const;

/** How the simulator behaves. */
export interface SimulatorSettings {
  /** Faults applied to every order (preselected on the pay page). */
  readonly faults: ReadonlySet<Fault>;
  /** Waits before each resend of a notification not answered `success`. */
  readonly retryDelaysMs: readonly number[];
  /** How late a `delay` or `redirect-first` notification is sent. */
  readonly delayMs: number;
  /** From the notification to the buyer's redirect to `return_url` (1-3 s at igepay, docs/protocol.md §1.4). */
  readonly returnDelayMs: number;
  /** How long a pay page can be paid after the order was posted. */
  readonly payWindowMs: number;
  /** How long one notification attempt may take before it counts as failed. */
  readonly attemptTimeoutMs: number;
  /**
   * Origins the simulator may notify besides loopback addresses (`IGEPAY_SANDBOX_NOTIFY_URLS`;
   * in sandbox mode, the server's own `PUBLIC_URL` too).
   */
  readonly notifyOrigins: readonly string[];
}

const seconds = (what: string) =>
  z
    .string()
    .regex(/^\d{1,6}(\.\d{1,3})?$/, `must be a number of seconds${what}`)
    .transform((value) => Math.round(Number(value) * 1000));

const SettingsEnvSchema = z.object({
  IGEPAY_SANDBOX_FAULTS: z
    .string()
    .transform((list) =>
      list
        .split(',')
        .map((item) => item.trim())
        .filter((item) => item !== ''),
    )
    .pipe(z.array(z.enum(FAULTS, `must be a comma-separated list of: ${FAULTS.join(', ')}`)))
    .default([]),
  IGEPAY_SANDBOX_RETRY_SECONDS: z
    .string()
    .transform((list) => list.split(',').map((item) => item.trim()))
    .pipe(z.array(seconds(', comma-separated, e.g. 15,15,30,180')).min(1))
    .optional(),
  IGEPAY_SANDBOX_DELAY_SECONDS: seconds(', e.g. 5').default(5000),
  IGEPAY_SANDBOX_RETURN_SECONDS: seconds(', e.g. 2').default(2000),
  IGEPAY_SANDBOX_NOTIFY_URLS: z
    .string()
    .transform((list, context) => {
      const origins: string[] = [];
      for (const item of list.split(',').map((entry) => entry.trim())) {
        if (item === '') continue;
        if (!URL.canParse(item) || !/^https?:$/.test(new URL(item).protocol)) {
          context.addIssue({
            code: 'custom',
            message: 'must be comma-separated http(s) URLs of the servers to notify, e.g. https://shop.test',
          });
          return z.NEVER;
        }
        origins.push(new URL(item).origin);
      }
      return origins;
    })
    .default([]),
  IGEPAY_SANDBOX_PAY_MINUTES: z
    .string()
    .regex(/^\d{1,4}(\.\d{1,3})?$/, 'must be a number of minutes, e.g. 15')
    .transform((value) => Math.round(Number(value) * 60_000))
    .refine((ms) => ms > 0, 'must be more than 0 minutes')
    .default(15 * 60_000),
});

/**
 * The simulator's behaviour from the environment (`IGEPAY_SANDBOX_*`); unset variables give
 * the defaults. Throws a `ConfigError` naming the variable at fault.
 */
export function parseSimulatorSettings(env: Record<string, string | undefined>): SimulatorSettings {
  const e = parseEnv(SettingsEnvSchema, env);
  return {
    faults: new Set(e.IGEPAY_SANDBOX_FAULTS),
    retryDelaysMs: e.IGEPAY_SANDBOX_RETRY_SECONDS ?? DEFAULT_RETRY_SECONDS.map((s) => s * 1000),
    delayMs: e.IGEPAY_SANDBOX_DELAY_SECONDS,
    returnDelayMs: e.IGEPAY_SANDBOX_RETURN_SECONDS,
    payWindowMs: e.IGEPAY_SANDBOX_PAY_MINUTES,
    attemptTimeoutMs: 10_000,
    notifyOrigins: e.IGEPAY_SANDBOX_NOTIFY_URLS,
  };
}
