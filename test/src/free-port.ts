import { once } from 'node:events';
import { type AddressInfo, createServer } from 'node:net';

/** A loopback port free right now: the system's pick, released for a server to take. */
export async function freePort(): Promise<number> {
  const probe = createServer();
  probe.listen(0, '127.0.0.1');
  await once(probe, 'listening');
  const { port } = probe.address() as AddressInfo;
  probe.close();
  await once(probe, 'close');
  return port;
}
