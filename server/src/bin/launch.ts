import { prewarmWriterThread } from '../store/sqlite/writer.js';
import { boundHeapGrowth } from './heap-growth.js';

/**
 * Runs the signing server from `env`, as every entry does (`igepay serve`, `igepay-server`,
 * `pnpm start`): the store's writer thread starts on another core while this one loads the
 * server's modules, which only then are imported; once it serves, the heap's growth is bounded.
 */
export async function launch(env: Record<string, string | undefined>): Promise<void> {
  prewarmWriterThread();
  const { runServer } = await import('./run-server.js');
  await runServer(env);
  // Not before: a V8 flag changed during start-up made start → ready a tenth longer (V8
  // checks compiled code it has cached against its flags).
  boundHeapGrowth();
}
