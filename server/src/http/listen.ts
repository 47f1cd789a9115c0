import type { Server } from 'node:http';
import { CONNECTIONS_CHECK_MS } from './connections.js';
import { http } from './node-http.js';

/**
 * Binds `host:port` before the app is built and answers the port bound: with port `0` the
 * system picks one, and only then can `PUBLIC_URL` (which goes into every `notify_url`) name it.
 */
export async function bindServer(host: string, port: number): Promise<{ server: Server; port: number }> {
  const server = http.createServer({ connectionsCheckingInterval: CONNECTIONS_CHECK_MS });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address();
  return { server, port: typeof address === 'object' && address ? address.port : port };
}
