import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { tempDir } from '../support/harness.js';
import { SERVER_DIR } from '../support/process.js';

let dir: ReturnType<typeof tempDir>;
beforeEach(() => {
  dir = tempDir();
});
afterEach(() => dir.cleanup());

/** Runs enableCompileCache in a process of its own, with `tmp` as its temporary folder; the cache folder Node then uses. */
function cacheDirOf(tmp: string, env: Record<string, string> = {}): string {
  const script = join(dir.dir, 'probe.mjs');
  writeFileSync(
    script,
    `const { enableCompileCache } = await import(${JSON.stringify(join(SERVER_DIR, 'src', 'bin', 'compile-cache.ts'))});
     enableCompileCache();
     const { getCompileCacheDir } = await import('node:module');
     process.stdout.write(String(getCompileCacheDir?.() ?? ''));`,
  );
  const result = spawnSync(process.execPath, ['--import', 'tsx', script], {
    cwd: SERVER_DIR,
    env: { PATH: process.env.PATH ?? '', TMPDIR: tmp, ...env },
    encoding: 'utf8',
  });
  expect(result.status, result.stderr).toBe(0);
  return result.stdout;
}

describe('the compile cache of the entry points', () => {
  it("keeps compiled code in a folder of this user's own, which no one else may write", () => {
    const used = cacheDirOf(dir.dir);
    expect(used.startsWith(join(dir.dir, 'igepay-compile-cache-'))).toBe(true);
    const folder = statSync(join(dir.dir, `igepay-compile-cache-${process.getuid?.() ?? 'user'}`));
    expect(folder.mode & 0o777).toBe(0o700);
  });

  it('is not used from a folder others may write, nor where the operator says otherwise', () => {
    const planted = join(dir.dir, `igepay-compile-cache-${process.getuid?.() ?? 'user'}`);
    mkdirSync(planted);
    chmodSync(planted, 0o777);
    expect(cacheDirOf(dir.dir)).toBe('');
    const other = join(dir.dir, 'elsewhere');
    mkdirSync(other);
    expect(cacheDirOf(other, { NODE_DISABLE_COMPILE_CACHE: '1' })).toBe('');
  });
});
