import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

/** How far V8's old generation may grow past what survived its last full collection, in percent. */
export const HEAP_GROWING_PERCENT = 20;

/**
 * Bounds the heap's growth between full collections for the server's process: V8 otherwise
 * lets the old generation grow to several times what survived, and under a burst of payments
 * the requests in flight fill it with garbage that only a full collection frees. At 20%, the
 * peak under the notification load fell by a sixth to a fifth, for the same CPU per request
 * (BENCHMARKS.md). A process started with its own `--heap-growing-percent` keeps it; a runtime
 * without V8's flags (Bun) is left as it is. Not a V8 option Node accepts in `NODE_OPTIONS`,
 * hence set here, by every entry that runs the server, once it serves.
 */
export function boundHeapGrowth(): void {
  if (process.execArgv.some((flag) => /^--heap[-_]growing[-_]percent(=|$)/.test(flag))) return;
  try {
    setFlagsFromString(`--heap-growing-percent=${HEAP_GROWING_PERCENT}`);
    // The limit set during start-up stands until the next full collection: one now, while the
    // server has just started and is idle, sets it from what survived.
    setFlagsFromString('--expose-gc');
    (runInNewContext('gc') as (() => void) | undefined)?.();
  } catch {
    // Not V8: nothing to bound.
  }
}
