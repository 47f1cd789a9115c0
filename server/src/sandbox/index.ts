/**
 * `@igepay/server/sandbox`: the igepay gateway simulator, for tests and other stacks. Give
 * the signing server {@link loadSandboxConfig}'s settings to run it in sandbox mode (what
 * `pnpm start` does), run the simulator on its own with {@link buildSimulatorApp} (what
 * `pnpm sandbox` serves), or mount {@link gatewaySimulatorPlugin} in an app of yours. It signs
 * with the same code as the server, and never with a real token.
 */
export { CREDENTIALS_FILE, type SandboxCredentials } from './credentials.js';
export { loadSandboxConfig } from './mode.js';
export { type GatewaySimulatorPluginOptions, gatewaySimulatorPlugin } from './plugin.js';
export {
  DEFAULT_RETRY_SECONDS,
  FAULTS,
  type Fault,
  parseSimulatorSettings,
  type SimulatorSettings,
} from './settings.js';
export { GatewaySimulator, type GatewaySimulatorOptions } from './simulator.js';
export { buildSimulatorApp, loadStandaloneConfig, type StandaloneConfig } from './standalone.js';
