import { resolve } from 'node:path';
import { isSimulatorToken, MerchantUidSchema, SANDBOX_TOKEN_PREFIX } from '@igepay/shared';
import Fastify, { type FastifyInstance } from 'fastify';
import { z } from 'zod';
import {
  ConfigError,
  flagSetting,
  hostSetting,
  logLevelSetting,
  parseEnv,
  portSetting,
} from '../config/env.js';
import { Secret } from '../config/secret.js';
import { createLogger } from '../http/logger.js';
import { sandboxCredentials } from './credentials.js';
import { gatewaySimulatorPlugin } from './plugin.js';
import { parseSimulatorSettings, type SimulatorSettings } from './settings.js';
import { GatewaySimulator } from './simulator.js';
import type { SandboxMerchant } from './validate.js';

/** Settings of the simulator run on its own (`pnpm sandbox`). */
export interface StandaloneConfig {
  readonly port: number;
  readonly host: string;
  readonly merchant: SandboxMerchant & { readonly token: Secret };
  /** Where the made-up merchant is kept, when it was not given. */
  readonly credentialsDir: string | undefined;
  readonly settings: SimulatorSettings;
  readonly logLevel: string;
}

const StandaloneEnvSchema = z.object({
  PORT: portSetting(8788),
  HOST: hostSetting,
  IGEPAY_SANDBOX_UID: MerchantUidSchema.optional(),
  // Never echoed: only its shape is described.
  IGEPAY_SANDBOX_TOKEN: z
    .string()
    .min(8, 'must be at least 8 characters')
    .max(256)
    .regex(/^\S+$/, 'must not contain spaces')
    .refine(
      isSimulatorToken,
      `must start with ${SANDBOX_TOKEN_PREFIX}: igepay has no test mode, so any other token is a live one; make one (e.g. ${SANDBOX_TOKEN_PREFIX}$(openssl rand -hex 16)) and use it in your integration's test settings`,
    )
    .optional(),
  IGEPAY_SANDBOX_DIR: z.string().min(1).default('./data'),
  IGEPAY_SIGN_ORDER_UID: flagSetting.default(false),
  LOG_LEVEL: logLevelSetting,
});

/**
 * The standalone simulator's settings from `env`. The merchant is `IGEPAY_SANDBOX_UID` and
 * `IGEPAY_SANDBOX_TOKEN` when both are set (to match another stack's test settings), else
 * the one kept in `IGEPAY_SANDBOX_DIR`, made on first start.
 */
export function loadStandaloneConfig(env: Record<string, string | undefined>): StandaloneConfig {
  const e = parseEnv(StandaloneEnvSchema, env);
  if ((e.IGEPAY_SANDBOX_UID === undefined) !== (e.IGEPAY_SANDBOX_TOKEN === undefined)) {
    throw new ConfigError(
      e.IGEPAY_SANDBOX_UID === undefined ? 'IGEPAY_SANDBOX_UID' : 'IGEPAY_SANDBOX_TOKEN',
      'must be set together with the other one (or neither, to use a made-up merchant)',
    );
  }
  const credentialsDir = e.IGEPAY_SANDBOX_UID === undefined ? resolve(e.IGEPAY_SANDBOX_DIR) : undefined;
  const credentials =
    credentialsDir === undefined
      ? { uid: e.IGEPAY_SANDBOX_UID ?? '', token: e.IGEPAY_SANDBOX_TOKEN ?? '' }
      : sandboxCredentials(credentialsDir);
  return {
    port: e.PORT,
    host: e.HOST,
    merchant: {
      uid: credentials.uid,
      token: new Secret(credentials.token),
      signOrderUid: e.IGEPAY_SIGN_ORDER_UID,
    },
    credentialsDir,
    settings: parseSimulatorSettings(env),
    logLevel: e.LOG_LEVEL,
  };
}

/** The simulator as an app of its own, at the root of its origin. Does not listen. */
export async function buildSimulatorApp(
  config: StandaloneConfig,
  options: { logger?: false; now?: () => number } = {},
): Promise<FastifyInstance> {
  const app = Fastify({
    ...(options.logger === false
      ? { logger: false }
      : { loggerInstance: createLogger({ token: config.merchant.token, level: config.logLevel }) }),
    bodyLimit: 16 * 1024,
  });
  const simulator = new GatewaySimulator({
    merchant: config.merchant,
    settings: config.settings,
    ...(options.now && { now: options.now }),
  });
  await app.register(gatewaySimulatorPlugin, { simulator });
  return app;
}
