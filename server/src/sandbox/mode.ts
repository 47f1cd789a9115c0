import { dirname } from 'node:path';
import { GATEWAY_PAY_PATH } from '@igepay/shared';
import { type Config, loadConfig, type SandboxMode, type SandboxSetup } from '../config/config.js';
import { ConfigError } from '../config/env.js';
import { Secret } from '../config/secret.js';
import { sandboxCredentials } from './credentials.js';
import { DEMO_CATALOG } from './demo/catalog.js';
import { demoRoutes } from './demo/routes.js';
import { SANDBOX_PREFIX } from './paths.js';
import { gatewaySimulatorPlugin } from './plugin.js';
import { parseSimulatorSettings, type SimulatorSettings } from './settings.js';
import { GatewaySimulator } from './simulator.js';

/**
 * Sandbox mode: the gateway simulator under `/sandbox`, signing and verifying with the
 * sandbox merchant, and the demo shop at `/`.
 */
function sandboxMode(settings: SimulatorSettings): SandboxMode {
  return {
    routes: async (app, { config, now }) => {
      const simulator = new GatewaySimulator({
        merchant: { uid: config.uid, token: config.token, signOrderUid: config.signOrderUid },
        // The server notifies itself, wherever PUBLIC_URL says it is.
        settings: {
          ...settings,
          notifyOrigins: [...settings.notifyOrigins, new URL(config.publicUrl).origin],
        },
        now,
      });
      await app.register(gatewaySimulatorPlugin, {
        prefix: SANDBOX_PREFIX,
        simulator,
        publicUrl: `${config.publicUrl}${SANDBOX_PREFIX}`,
      });
      await app.register(demoRoutes, { catalog: config.catalog });
    },
    shopPath: '/',
    banner: (base, dashboard) => `
  igepay sandbox is running: no real money moves.

    Demo shop   ${base}/
    Simulator   ${base}${SANDBOX_PREFIX}/
    Log         ${base}${SANDBOX_PREFIX}/inspect
    Dashboard   ${dashboard ?? 'off (set IGEPAY_ADMIN_PASSWORD_HASH: igepay admin hash-password)'}

`,
  };
}

/**
 * The sandbox merchant of the data directory (beside the SQLite file; made on first start),
 * paying at the simulator this server mounts.
 */
const merchant: SandboxSetup['merchant'] = ({ publicUrl, database }) => {
  if (database.engine !== 'sqlite') {
    throw new ConfigError(
      'DATABASE_URL',
      'must be sqlite:PATH with IGEPAY_SANDBOX=1: the sandbox is one instance, and keeps its merchant beside the file',
    );
  }
  let credentials: ReturnType<typeof sandboxCredentials>;
  try {
    credentials = sandboxCredentials(dirname(database.path));
  } catch (error) {
    throw new ConfigError(
      'DATABASE_URL',
      `names a folder where the sandbox merchant cannot be kept (${String(error)})`,
    );
  }
  return {
    uid: credentials.uid,
    token: new Secret(credentials.token),
    gatewayUrl: `${publicUrl}${SANDBOX_PREFIX}${GATEWAY_PAY_PATH}`,
  };
};

/**
 * The server's settings in sandbox mode (`IGEPAY_SANDBOX=1` is implied): as `loadConfig`
 * reads them, with the sandbox merchant (made and kept beside the SQLite file on first start),
 * the demo catalog unless `IGEPAY_PRODUCTS` names one, and the simulator's `IGEPAY_SANDBOX_*`
 * behaviour. Throws a `ConfigError` naming the variable at fault.
 */
export function loadSandboxConfig(env: Record<string, string | undefined>): Config {
  const mode = sandboxMode(parseSimulatorSettings(env));
  return loadConfig({ ...env, IGEPAY_SANDBOX: '1' }, { sandbox: { mode, catalog: DEMO_CATALOG, merchant } });
}
