#!/usr/bin/env node
import { GATEWAY_PAY_PATH } from '@igepay/shared';
import { ConfigError } from '../config/env.js';
import { CREDENTIALS_FILE } from '../sandbox/credentials.js';
import { buildSimulatorApp, loadStandaloneConfig, type StandaloneConfig } from '../sandbox/standalone.js';
import { closeOnSignals } from './graceful.js';

// The gateway simulator on its own port (`pnpm sandbox`), for merchants testing another stack.
let config: StandaloneConfig;
try {
  config = loadStandaloneConfig(process.env);
} catch (error) {
  if (!(error instanceof ConfigError)) throw error;
  process.stderr.write(`igepay sandbox: ${error.message}\n`);
  process.exit(1);
}
const app = await buildSimulatorApp(config);
closeOnSignals(5_000, async () => app.close());
const address = await app.listen({ port: config.port, host: config.host });
const token = config.credentialsDir
  ? `in ${config.credentialsDir}/${CREDENTIALS_FILE}`
  : 'IGEPAY_SANDBOX_TOKEN, as you set it';
process.stdout.write(`
  igepay sandbox gateway: no real money moves.

    Pay URL   ${address}${GATEWAY_PAY_PATH}   (IGEPAY_GATEWAY_URL of your integration)
    uid       ${config.merchant.uid}
    token     ${token}
    Log       ${address}/inspect

`);
