import {
  DEFAULT_GATEWAY_URL,
  httpUrl,
  MerchantUidSchema,
  PriceCentsSchema,
  returnPath,
  SANDBOX_TOKEN_PREFIX,
} from '@igepay/shared';
import { secretKey } from '@igepay/shared/webhook';
import { z } from 'zod';
import { type Catalog, readCatalog } from './catalog.js';
import { defaultMaxConnections, fileDescriptorLimit, RESERVED_DESCRIPTORS } from './connections.js';
import { LIVE_DATABASE_URL, parseDatabaseUrl, SANDBOX_DATABASE_URL } from './database.js';
import {
  amountSetting,
  ConfigError,
  flagSetting,
  hostSetting,
  logLevelSetting,
  parseEnv,
  portSetting,
  wholeSetting,
} from './env.js';
import { parsePasswordHash } from './password-hash.js';
import { redactSecrets, Secret } from './secret.js';
import { parseTrustProxy, type TrustProxy } from './trust-proxy.js';
import type { AdminConfig, Config, ForwardConfig, Merchant, SandboxSetup } from './types.js';

export {
  type DatabaseConfig,
  LIVE_DATABASE_URL,
  parseDatabaseUrl,
  SANDBOX_DATABASE_URL,
} from './database.js';
export type {
  AdminConfig,
  Config,
  ForwardConfig,
  Merchant,
  MetricsConfig,
  SandboxMode,
  SandboxSetup,
} from './types.js';
export { ConfigError };

// The longest path we append to PUBLIC_URL: the return page with a 50-character order id.
const LONGEST_URL_SUFFIX = returnPath('x'.repeat(50));

const HttpUrlSetting = httpUrl();

/** No `user:password@`: a URL setting is printed and logged, and its password would go with it. */
const withoutCredentials = (url: string) =>
  URL.canParse(url) && new URL(url).username === '' && new URL(url).password === '';

/** `PUBLIC_URL`: a base that paths are appended to, so no query, fragment or credentials. */
const PublicUrlSetting = HttpUrlSetting.refine(
  (url) => withoutCredentials(url) && !/[?#]/.test(url),
  'must be a base URL without a query, a fragment or credentials, e.g. https://pay.example.com',
);

const EnvSchema = z.object({
  PORT: portSetting(8787),
  HOST: hostSetting,
  PUBLIC_URL: PublicUrlSetting.optional(),
  IGEPAY_UID: MerchantUidSchema.optional(),
  // Never echo the value: only its shape is described.
  IGEPAY_TOKEN: z
    .string()
    .min(8, 'looks too short for an igepay token')
    .max(256, 'looks too long for an igepay token')
    .regex(/^\S+$/, 'must not contain spaces or line breaks')
    .refine((token) => !token.startsWith(SANDBOX_TOKEN_PREFIX), 'is a sandbox token; use your igepay token')
    .optional(),
  IGEPAY_GATEWAY_URL: HttpUrlSetting.optional(),
  IGEPAY_SANDBOX: flagSetting.default(false),
  IGEPAY_FORWARD_URL: HttpUrlSetting.refine(
    withoutCredentials,
    'must not hold credentials (user:password@): events are signed with IGEPAY_FORWARD_SECRET; check the signature instead',
  ).optional(),
  IGEPAY_FORWARD_RETRY_SECONDS: amountSetting('seconds, e.g. 30')
    .transform((seconds) => Math.max(1, Math.round(seconds * 1000)))
    .default(30_000),
  // Never echo the value: only its shape is described.
  IGEPAY_FORWARD_SECRET: z
    .string()
    .refine(
      (secret) => secretKey(secret) !== undefined,
      'must be a Standard Webhooks secret: whsec_ and 24 to 64 random bytes in base64; make one with: echo "whsec_$(openssl rand -base64 32)"',
    )
    .optional(),
  IGEPAY_SIGN_ORDER_UID: flagSetting.default(false),
  IGEPAY_STRICT_KEY_ECHO: flagSetting.default(false),
  DATABASE_URL: z.string().optional(),
  DATABASE_POOL_SIZE: wholeSetting('connections, e.g. 10', { digits: 3, min: 1 }).default(10),
  IGEPAY_PRODUCTS: z.string().min(1, 'must be the path of a JSON catalog file').optional(),
  IGEPAY_OPEN_AMOUNTS: flagSetting.optional(),
  IGEPAY_MIN_PRICE: PriceCentsSchema.default(1),
  IGEPAY_MAX_PRICE: PriceCentsSchema.default(50_000_00),
  IGEPAY_ALLOWED_ORIGINS: z.string().optional(),
  IGEPAY_RATE_LIMIT: wholeSetting('requests per minute (0 turns the limit off)', { digits: 9 }).default(60),
  IGEPAY_TRUST_PROXY: z
    .string()
    .transform((value, context): TrustProxy => {
      try {
        return parseTrustProxy(value);
      } catch (error) {
        context.addIssue({
          code: 'custom',
          message: `${error instanceof Error ? error.message : 'is invalid'}; give the proxies' addresses or CIDRs (e.g. 127.0.0.1,10.0.0.0/8) or their number of hops (e.g. 1)`,
        });
        return z.NEVER;
      }
    })
    .optional(),
  IGEPAY_MAX_CONNECTIONS: wholeSetting('connections, e.g. 4000', { digits: 6, min: 16 }).optional(),
  IGEPAY_MAX_CONNECTIONS_PER_CLIENT: wholeSetting('connections, e.g. 100', { digits: 6, min: 1 }).default(
    100,
  ),
  IGEPAY_METRICS_PORT: z
    .string()
    .regex(/^\d{1,5}$/, 'must be a port number')
    .transform(Number)
    .refine((port) => port >= 1 && port <= 65535, 'must be a port number (1-65535)')
    .optional(),
  IGEPAY_METRICS_HOST: hostSetting,
  // Never echo the value: only its shape is described.
  IGEPAY_ADMIN_PASSWORD_HASH: z
    .string()
    .refine(
      (text) => parsePasswordHash(text) !== undefined,
      'must be a hash made by igepay admin hash-password',
    )
    .optional(),
  // Never echo the value: only its shape is described.
  IGEPAY_METRICS_TOKEN: z
    .string()
    .min(16, 'must be at least 16 characters (e.g. openssl rand -hex 32)')
    .max(256, 'must be at most 256 characters')
    .regex(/^[\x21-\x7e]+$/, 'must be printable, without spaces')
    .optional(),
  IGEPAY_ORDER_TTL_MINUTES: amountSetting('minutes, e.g. 30')
    .refine((minutes) => minutes > 0, 'must be more than 0 minutes')
    .default(30),
  IGEPAY_LATE_PAYMENT_MINUTES: amountSetting('minutes, e.g. 15').default(15),
  LOG_LEVEL: logLevelSetting,
});

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

/** True when `env` asks for sandbox mode (`IGEPAY_SANDBOX=1`). */
export function wantsSandbox(env: Record<string, string | undefined>): boolean {
  return parseEnv(z.object({ IGEPAY_SANDBOX: flagSetting.default(false) }), env).IGEPAY_SANDBOX;
}

/**
 * Parses the server's settings from `env` (normally `process.env`), once, at start-up.
 * Throws a {@link ConfigError} naming the first variable at fault; never echoes the token.
 * Sandbox mode needs the sandbox's setup: `loadSandboxConfig` of `@igepay/server/sandbox`
 * passes it.
 */
export function loadConfig(
  env: Record<string, string | undefined>,
  options: { readonly sandbox?: SandboxSetup } = {},
): Config {
  const e = parseEnv(EnvSchema, env);
  const { sandbox } = options;
  if (e.IGEPAY_SANDBOX && !sandbox) {
    throw new ConfigError(
      'IGEPAY_SANDBOX',
      'needs the sandbox: run pnpm start, or load the settings with loadSandboxConfig from @igepay/server/sandbox',
    );
  }

  // The sandbox keeps its own file by default: simulated payments never share a live database.
  const database = parseDatabaseUrl(
    e.DATABASE_URL ?? (sandbox ? SANDBOX_DATABASE_URL : LIVE_DATABASE_URL),
    e.DATABASE_POOL_SIZE,
  );
  const publicUrl = (
    e.PUBLIC_URL ?? `http://${e.HOST.includes(':') ? `[${e.HOST}]` : e.HOST}:${e.PORT}`
  ).replace(/\/+$/, '');
  if ((publicUrl + LONGEST_URL_SUFFIX).length > 255) {
    throw new ConfigError(
      'PUBLIC_URL',
      'is too long: igepay limits notify_url and return_url to 255 characters',
    );
  }

  // Checked now, made last: the sandbox may write its merchant, and only for valid settings.
  const merchant = merchantSource(e, sandbox);

  const minPriceCents = e.IGEPAY_MIN_PRICE;
  const maxPriceCents = e.IGEPAY_MAX_PRICE;
  if (minPriceCents > maxPriceCents) {
    throw new ConfigError('IGEPAY_MIN_PRICE', 'must not be more than IGEPAY_MAX_PRICE');
  }

  let catalog: Catalog = sandbox ? sandbox.catalog : new Map();
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

  const forward = forwardConfig(
    e.IGEPAY_FORWARD_URL,
    e.IGEPAY_FORWARD_SECRET,
    e.IGEPAY_FORWARD_RETRY_SECONDS,
  );
  return {
    port: e.PORT,
    host: e.HOST,
    publicUrl,
    ...merchant({ publicUrl, database }),
    signOrderUid: e.IGEPAY_SIGN_ORDER_UID,
    strictKeyEcho: e.IGEPAY_STRICT_KEY_ECHO,
    database,
    catalog,
    openAmounts: e.IGEPAY_OPEN_AMOUNTS ?? e.IGEPAY_PRODUCTS === undefined,
    minPriceCents,
    maxPriceCents,
    // The server's own pages (the demo shop, redirect mode's return page) always may: naming
    // the shop's origins must not lock out the server's.
    allowedOrigins: [
      ...new Set([
        new URL(publicUrl).origin,
        ...(e.IGEPAY_ALLOWED_ORIGINS === undefined ? [] : parseOrigins(e.IGEPAY_ALLOWED_ORIGINS)),
      ]),
    ],
    rateLimitPerMinute: e.IGEPAY_RATE_LIMIT,
    trustProxy: e.IGEPAY_TRUST_PROXY,
    ...connectionLimits(e.IGEPAY_MAX_CONNECTIONS, e.IGEPAY_MAX_CONNECTIONS_PER_CLIENT),
    metrics:
      e.IGEPAY_METRICS_PORT === undefined && e.IGEPAY_METRICS_TOKEN === undefined
        ? undefined
        : {
            port: e.IGEPAY_METRICS_PORT,
            host: e.IGEPAY_METRICS_HOST,
            token: e.IGEPAY_METRICS_TOKEN === undefined ? undefined : new Secret(e.IGEPAY_METRICS_TOKEN),
          },
    orderTtlMs: Math.round(e.IGEPAY_ORDER_TTL_MINUTES * 60_000),
    latePaymentMs: Math.round(e.IGEPAY_LATE_PAYMENT_MINUTES * 60_000),
    logLevel: e.LOG_LEVEL,
    sandbox: sandbox?.mode,
    forward,
    admin: adminOf(e.IGEPAY_ADMIN_PASSWORD_HASH),
  };
}

function adminOf(text: string | undefined): AdminConfig | undefined {
  const passwordHash = text === undefined ? undefined : parsePasswordHash(text);
  return passwordHash && text ? { passwordHash, passwordHashText: new Secret(text) } : undefined;
}

function connectionLimits(
  max: number | undefined,
  perClient: number,
): Pick<Config, 'maxConnections' | 'maxConnectionsPerClient' | 'fileDescriptorLimit'> {
  const fdLimit = fileDescriptorLimit();
  // Past the descriptor limit, accepting fails for everyone, igepay's notifications included.
  if (max !== undefined && fdLimit !== undefined && max > fdLimit - RESERVED_DESCRIPTORS) {
    throw new ConfigError(
      'IGEPAY_MAX_CONNECTIONS',
      `must leave ${RESERVED_DESCRIPTORS} of the ${fdLimit} file descriptors this process may open (at most ${fdLimit - RESERVED_DESCRIPTORS}); raise the limit (ulimit -n, LimitNOFILE=) or lower the setting`,
    );
  }
  return {
    maxConnections: max ?? defaultMaxConnections(fdLimit),
    maxConnectionsPerClient: perClient,
    fileDescriptorLimit: fdLimit,
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
  return { uid, token: new Secret(token), gatewayUrl: gatewayUrl ?? DEFAULT_GATEWAY_URL };
}

/**
 * Who the server will sign as: the live merchant of `IGEPAY_UID` and `IGEPAY_TOKEN`, or the
 * sandbox's, next to which real credentials are refused (they must never reach the simulator).
 */
function merchantSource(
  e: {
    IGEPAY_UID?: string | undefined;
    IGEPAY_TOKEN?: string | undefined;
    IGEPAY_GATEWAY_URL?: string | undefined;
  },
  sandbox: SandboxSetup | undefined,
): SandboxSetup['merchant'] {
  if (!sandbox) {
    const live = liveMerchant(e.IGEPAY_UID, e.IGEPAY_TOKEN, e.IGEPAY_GATEWAY_URL);
    return () => live;
  }
  for (const name of ['IGEPAY_UID', 'IGEPAY_TOKEN', 'IGEPAY_GATEWAY_URL'] as const) {
    if (e[name] !== undefined) {
      throw new ConfigError(
        name,
        'must not be set with IGEPAY_SANDBOX=1: the sandbox makes its own merchant',
      );
    }
  }
  return (at) => sandbox.merchant(at);
}

/** Every secret value of `config`: the token, the forwarding secret, the database URL and password. */
export function configSecrets(config: Config): string[] {
  const secrets = [config.token.reveal()];
  if (config.forward) secrets.push(config.forward.secret.reveal());
  if (config.metrics?.token) secrets.push(config.metrics.token.reveal());
  if (config.admin) secrets.push(config.admin.passwordHashText.reveal());
  if (config.database.engine === 'postgres') {
    secrets.push(config.database.url.reveal());
    if (config.database.password) secrets.push(config.database.password.reveal());
  }
  return secrets;
}

/**
 * An error as one line a person can be shown: its message (each one's, for an AggregateError
 * such as every address of a host refusing), with the secrets of `config` redacted (a driver
 * may repeat the URL it was given).
 */
export function describeError(error: unknown, config: Config): string {
  const message = (e: unknown): string =>
    e instanceof AggregateError && e.message === ''
      ? e.errors.map(message).join('; ')
      : e instanceof Error
        ? e.message
        : String(e);
  return redactSecrets(message(error), configSecrets(config));
}
