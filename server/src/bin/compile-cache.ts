import { mkdirSync, statSync } from 'node:fs';
import * as nodeModule from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * Keeps V8's compiled code of the server's modules on disk (the runtime's compile cache), so a
 * start after the first skips most of their parsing and compiling (BENCHMARKS.md). Only in a
 * folder of this user's own that no one else may write (a cache is code the process runs),
 * and never where the operator decided otherwise (`NODE_COMPILE_CACHE`,
 * `NODE_DISABLE_COMPILE_CACHE`). Modules imported after this call use it.
 */
export function enableCompileCache(): void {
  const enable = (nodeModule as { enableCompileCache?: (dir: string) => unknown }).enableCompileCache;
  if (typeof enable !== 'function') return; // a runtime without one (Bun, Deno)
  if (process.env.NODE_COMPILE_CACHE !== undefined || process.env.NODE_DISABLE_COMPILE_CACHE !== undefined)
    return;
  try {
    const uid = process.getuid?.();
    const dir = join(tmpdir(), `igepay-compile-cache-${uid ?? 'user'}`);
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    const folder = statSync(dir);
    if (!folder.isDirectory() || (uid !== undefined && folder.uid !== uid) || (folder.mode & 0o077) !== 0)
      return;
    enable(dir);
  } catch {
    // No cache: the start is only slower.
  }
}
