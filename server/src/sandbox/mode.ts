import type { FastifyPluginAsync } from 'fastify';
import type { RouteDeps } from '../routes/deps.js';
import { demoRoutes } from './demo/routes.js';
import { SANDBOX_PREFIX } from './paths.js';
import { gatewaySimulatorPlugin } from './plugin.js';
import { GatewaySimulator } from './simulator.js';

/**
 * Sandbox mode (`IGEPAY_SANDBOX=1`): the gateway simulator under `/sandbox`, signing and
 * verifying with the sandbox merchant the config made, and the demo shop at `/`.
 */
export const sandboxMode: FastifyPluginAsync<{ deps: RouteDeps }> = async (app, { deps }) => {
  const { config } = deps;
  if (!config.sandbox) return;
  const simulator = new GatewaySimulator({
    merchant: { uid: config.uid, token: config.token, signOrderUid: config.signOrderUid },
    settings: config.sandbox,
    now: deps.now,
  });
  await app.register(gatewaySimulatorPlugin, {
    prefix: SANDBOX_PREFIX,
    simulator,
    publicUrl: `${config.publicUrl}${SANDBOX_PREFIX}`,
  });
  await app.register(demoRoutes, { deps });
};
