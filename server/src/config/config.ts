import { dirname, resolve } from 'node:path';
import { MAX_CENTS, parsePrice } from '@igepay/shared';
import { z } from 'zod';
import { SANDBOX_TOKEN_PREFIX, sandboxCredentials } from '../sandbox/credentials.js';
import { DEMO_CATALOG } from '../sandbox/demo/catalog.js';
import { PAY_PATH, SANDBOX_PREFIX } from '../sandbox/paths.js';
import { parseSimulatorSettings, type SimulatorSettings } from '../sandbox/settings.js';
import { type Catalog, readCatalog } from './catalog.js';
import { ConfigError, flagSetting, hostSetting, logLevelSetting, parseEnv, portSetting } from './env.js';
import { Secret } from './secret.js';

export { ConfigError };

/** Where orders are stored, from `DATABASE_URL`. */
export type DatabaseConfig =
  | { readonly engine: 'sqlite'; readonly path: string }
  | {
      readonly engine: 'postgres';
      /** The whole URL, password included: kept out of logs like the token. */
      readonly url: Secret;
      /** The database's password alone, scrubbed from log lines wherever it appears. */
      readonly password: Secret | undefined;
      /** Pooled connections per instance (`DATABASE_POOL_SIZE`). */
      readonly poolSize: number;
    };

/** The server's settings, parsed once from the environment (PROTOCOL.md 2.1). */
export interface Config {
  readonly port: number;
  readonly host: string;
  /** Base URL without a trailing slash; `notify_url` and `return_url` are built from it. */
  readonly publicUrl: string;
  readonly uid: string;
  readonly token: Secret;
  readonly gatewayUrl: string;
  readonly signOrderUid: boolean;
  readonly database: DatabaseConfig;
  readonly catalog: Catalog;
  readonly minPriceCents: number;
  readonly maxPriceCents: number;
  readonly allowedOrigins: readonly string[];
  /** Checkouts per minute per client address; `0` means no limit. */
  readonly rateLimitPerMinute: number;
  readonly orderTtlMs: number;
  /** pino level of the server log. */
  readonly logLevel: string;
  /**
   * Sandbox mode (`IGEPAY_SANDBOX=1`): the simulator's behaviour. The simulator is mounted
   * under `/sandbox` and is the gateway; `uid` and `token` are the sandbox merchant's.
   */
  readonly sandbox: SimulatorSettings | undefined;
  /** Where paid orders and unapplied notifications are sent as signed events, if anywhere. */
  readonly forward: ForwardConfig | undefined;
}

/** The merchant app's endpoint for events (`IGEPAY_FORWARD_URL`) and the HMAC secret that signs them. */
export interface ForwardConfig {
  readonly url: string;
  readonly secret: Secret;
  /** The first wait after a failed delivery (`IGEPAY_FORWARD_RETRY_SECONDS`); each failure doubles it. */
  readonly retryBaseMs: number;
}

// The longest path we append to PUBLIC_URL: the return page with a 50-character order id.
const LONGEST_URL_SUFFIX = `/api/igepay/return?order_id=${'x'.repeat(50)}`;

const httpUrl = z
  .string()
  .refine((value) => URL.canParse(value) && /^https?:$/.test(new URL(value).protocol), {
    message: 'must be an http:// or https:// URL',
  });

const money = (what: string) =>
  z.string().refine((value) => (parsePrice(value) ?? 0) > 0, {
    message: `must be ${what} in yuan with at most 2 decimals, e.g. 0.01`,
  });

const EnvSchema = z.object({
  PORT: portSetting(8787),
  HOST: hostSetting,
  PUBLIC_URL: httpUrl.optional(),
  IGEPAY_UID: z
    .string()
    .regex(/^[1-9]\d{0,9}$/, 'must be your numeric merchant uid (up to 10 digits)')
    .optional(),
  // Never echo the value: only its shape is described.
  IGEPAY_TOKEN: z
    .string()
    .min(8, 'looks too short for an igepay token')
    .max(256, 'looks too long for an igepay token')
    .regex(/^\S+$/, 'must not contain spaces or line breaks')
    .refine((token) => !token.startsWith(SANDBOX_TOKEN_PREFIX), 'is a sandbox token; use your igepay token')
    .optional(),
  IGEPAY_GATEWAY_URL: httpUrl.optional(),
  IGEPAY_SANDBOX: flagSetting.default(false),
  IGEPAY_FORWARD_URL: httpUrl.optional(),
  IGEPAY_FORWARD_RETRY_SECONDS: z
    .string()
    .regex(/^\d{1,6}(\.\d{1,3})?$/, 'must be a number of seconds, e.g. 30')
    .transform((value) => Math.max(1, Math.round(Number(value) * 1000)))
    .default(30_000),
  // Never echo the value: only its shape is described.
  IGEPAY_FORWARD_SECRET: z
    .string()
    .min(16, 'must be at least 16 characters (e.g. openssl rand -hex 32)')
    .max(256, 'must be at most 256 characters')
    .regex(/^\S+$/, 'must not contain spaces or line breaks')
    .optional(),
  IGEPAY_SIGN_ORDER_UID: flagSetting.default(false),
  DATABASE_URL: z.string().default('sqlite:./data/igepay.db'),
  DATABASE_POOL_SIZE: z
    .string()
    .regex(/^\d{1,3}$/, 'must be a whole number of connections, e.g. 10')
    .transform(Number)
    .refine((size) => size >= 1, 'must be at least 1')
    .default(10),
  IGEPAY_PRODUCTS: z.string().min(1, 'must be the path of a JSON catalog file').optional(),
  IGEPAY_MIN_PRICE: money('the smallest open amount').default('0.01'),
  IGEPAY_MAX_PRICE: money('the largest open amount').default('50000.00'),
  IGEPAY_ALLOWED_ORIGINS: z.string().optional(),
  IGEPAY_RATE_LIMIT: z
    .string()
    .regex(/^\d{1,9}$/, 'must be a whole number of requests per minute (0 turns the limit off)')
    .transform(Number)
    .default(60),
  IGEPAY_ORDER_TTL_MINUTES: z
    .string()
    .regex(/^\d{1,6}(\.\d{1,3})?$/, 'must be a number of minutes, e.g. 30')
    .transform(Number)
    .refine((minutes) => minutes > 0, 'must be more than 0 minutes')
    .default(30),
  LOG_LEVEL: logLevelSetting,
});

/** Reads `DATABASE_URL` (`sqlite:PATH` or `postgres://...`) and `DATABASE_POOL_SIZE`. */
export function parseDatabaseUrl(url: string, poolSize = 10): DatabaseConfig {
  if (url.startsWith('sqlite:')) {
    const path = url.slice('sqlite:'.length);
    if (path === '') throw new ConfigError('DATABASE_URL', 'must name a file, e.g. sqlite:./data/igepay.db');
    return { engine: 'sqlite', path: resolve(path) };
  }
  if (/^postgres(ql)?:\/\//.test(url)) {
    let parsed: URL;
    try {
      parsed = new URL(url);
    } catch {
      // The message never repeats the URL: it may hold a password.
      throw new ConfigError(
        'DATABASE_URL',
        'is not a valid URL; expected postgres://user:password@host:5432/database',
      );
    }
    if (parsed.hostname === '' && !parsed.searchParams.has('host')) {
      throw new ConfigError(
        'DATABASE_URL',
        'must name a host, e.g. postgres://user:password@host:5432/database',
      );
    }
    const password = parsed.password ? decodeURIComponent(parsed.password) : '';
    return {
      engine: 'postgres',
      url: new Secret(url),
      password: password ? new Secret(password) : undefined,
      poolSize,
    };
  }
  throw new ConfigError(
    'DATABASE_URL',
    'must be sqlite:PATH (e.g. sqlite:./data/igepay.db) or postgres://user:password@host:5432/database',
  );
}

function parseOrigins(list: string): string[] {
  return list
    .split(',')
    .map((item) => item.trim())
    .filter((item) => item !== '')
    .map((item) => {
      if (!URL.canParse(item) || new URL(item).origin !== item.replace(/\/$/, '')) {
        throw new ConfigError(
          'IGEPAY_ALLOWED_ORIGINS',
          'must be comma-separated origins like https://shop.example.com',
        );
      }
      return new URL(item).origin;
    });
}

/**
 * Parses the server's settings from `env` (normally `process.env`), once, at start-up.
 * Throws a {@link ConfigError} naming the first variable at fault; never echoes the token.
 */
export function loadConfig(env: Record<string, string | undefined>): Config {
  const e = parseEnv(EnvSchema, env);

  const database = parseDatabaseUrl(e.DATABASE_URL, e.DATABASE_POOL_SIZE);
  const publicUrl = (
    e.PUBLIC_URL ?? `http://${e.HOST.includes(':') ? `[${e.HOST}]` : e.HOST}:${e.PORT}`
  ).replace(/\/+$/, '');
  if ((publicUrl + LONGEST_URL_SUFFIX).length > 255) {
    throw new ConfigError(
      'PUBLIC_URL',
      'is too long: igepay limits notify_url and return_url to 255 characters',
    );
  }

  const merchant = e.IGEPAY_SANDBOX
    ? sandboxMerchant(e, publicUrl, database)
    : liveMerchant(e.IGEPAY_UID, e.IGEPAY_TOKEN, e.IGEPAY_GATEWAY_URL);

  const minPriceCents = parsePrice(e.IGEPAY_MIN_PRICE) ?? 1;
  const maxPriceCents = parsePrice(e.IGEPAY_MAX_PRICE) ?? MAX_CENTS;
  if (minPriceCents > maxPriceCents) {
    throw new ConfigError('IGEPAY_MIN_PRICE', 'must not be more than IGEPAY_MAX_PRICE');
  }

  let catalog: Catalog = e.IGEPAY_SANDBOX ? DEMO_CATALOG : new Map();
  if (e.IGEPAY_PRODUCTS !== undefined) {
    try {
      catalog = readCatalog(e.IGEPAY_PRODUCTS);
    } catch (error) {
      const reason =
        error instanceof z.ZodError
          ? `${error.issues[0]?.path.join('.')} ${error.issues[0]?.message}`
          : error instanceof Error
            ? error.message
            : String(error);
      throw new ConfigError('IGEPAY_PRODUCTS', `cannot be used (${reason})`);
    }
  }

  return {
    port: e.PORT,
    host: e.HOST,
    publicUrl,
    ...merchant,
    signOrderUid: e.IGEPAY_SIGN_ORDER_UID,
    database,
    catalog,
    minPriceCents,
    maxPriceCents,
    allowedOrigins:
      e.IGEPAY_ALLOWED_ORIGINS === undefined
        ? [new URL(publicUrl).origin]
        : parseOrigins(e.IGEPAY_ALLOWED_ORIGINS),
    rateLimitPerMinute: e.IGEPAY_RATE_LIMIT,
    orderTtlMs: Math.round(e.IGEPAY_ORDER_TTL_MINUTES * 60_000),
    logLevel: e.LOG_LEVEL,
    sandbox: e.IGEPAY_SANDBOX ? parseSimulatorSettings(env) : undefined,
    forward: forwardConfig(e.IGEPAY_FORWARD_URL, e.IGEPAY_FORWARD_SECRET, e.IGEPAY_FORWARD_RETRY_SECONDS),
  };
}

function forwardConfig(
  url: string | undefined,
  secret: string | undefined,
  retryBaseMs: number,
): ForwardConfig | undefined {
  if (url === undefined && secret === undefined) return undefined;
  if (url === undefined)
    throw new ConfigError('IGEPAY_FORWARD_URL', 'is required when IGEPAY_FORWARD_SECRET is set');
  if (secret === undefined) {
    throw new ConfigError(
      'IGEPAY_FORWARD_SECRET',
      'is required with IGEPAY_FORWARD_URL: events are always signed',
    );
  }
  return { url, secret: new Secret(secret), retryBaseMs };
}

/** Who the server signs as, and where buyers pay. */
interface Merchant {
  readonly uid: string;
  readonly token: Secret;
  readonly gatewayUrl: string;
}

function liveMerchant(
  uid: string | undefined,
  token: string | undefined,
  gatewayUrl: string | undefined,
): Merchant {
  const hint = '(or set IGEPAY_SANDBOX=1 to try the sandbox)';
  if (uid === undefined)
    throw new ConfigError('IGEPAY_UID', `is required: your merchant uid from igepay settings ${hint}`);
  if (token === undefined) {
    throw new ConfigError('IGEPAY_TOKEN', `is required: your merchant token from igepay settings ${hint}`);
  }
  return { uid, token: new Secret(token), gatewayUrl: gatewayUrl ?? 'http://www.igepay.com/Home/Pay/payFor' };
}

/**
 * The sandbox merchant of the data directory (made on first start), paying at the simulator
 * this server mounts. Real credentials are refused: they must never reach the simulator.
 */
function sandboxMerchant(
  e: {
    IGEPAY_UID?: string | undefined;
    IGEPAY_TOKEN?: string | undefined;
    IGEPAY_GATEWAY_URL?: string | undefined;
  },
  publicUrl: string,
  database: DatabaseConfig,
): Merchant {
  for (const name of ['IGEPAY_UID', 'IGEPAY_TOKEN', 'IGEPAY_GATEWAY_URL'] as const) {
    if (e[name] !== undefined) {
      throw new ConfigError(
        name,
        'must not be set with IGEPAY_SANDBOX=1: the sandbox makes its own merchant',
      );
    }
  }
  if (database.engine !== 'sqlite') {
    throw new ConfigError(
      'DATABASE_URL',
      'must be sqlite:PATH with IGEPAY_SANDBOX=1: the sandbox is one instance, and keeps its merchant beside the file',
    );
  }
  const dir = dirname(database.path);
  let credentials: ReturnType<typeof sandboxCredentials>;
  try {
    credentials = sandboxCredentials(dir);
  } catch (error) {
    throw new ConfigError(
      'DATABASE_URL',
      `names a folder where the sandbox merchant cannot be kept (${String(error)})`,
    );
  }
  return {
    uid: credentials.uid,
    token: new Secret(credentials.token),
    gatewayUrl: `${publicUrl}${SANDBOX_PREFIX}${PAY_PATH}`,
  };
}
