import { prewarmWriterThread } from '../store/sqlite/writer.js';
import { boundHeapGrowth } from './heap-growth.js';

/**
 * Runs the signing server from `env`, as every entry does (`igepay serve`, `igepay-server`,
 * `pnpm start`): the heap's growth bounded, then the store's writer thread started on another
 * core while this one loads the server's modules, which only then are imported.
 */
export async function launch(env: Record<string, string | undefined>): Promise<void> {
  boundHeapGrowth();
  prewarmWriterThread();
  const { runServer } = await import('./run-server.js');
  await runServer(env);
}
