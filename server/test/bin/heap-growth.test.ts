import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { tempDir } from '../support/harness.js';
import { SERVER_DIR } from '../support/process.js';

let dir: ReturnType<typeof tempDir>;
beforeEach(() => {
  dir = tempDir();
});
afterEach(() => dir.cleanup());

/**
 * In a process of its own (started with `flags`, and a 1 MiB young generation so that garbage
 * reaches the old one): boundHeapGrowth called or not, ~40 MB kept alive, then ~1 GB of objects
 * that outlive the young generation and die; how many full collections that took.
 */
function fullCollections(bound: boolean, flags: string[] = []): number {
  const script = join(dir.dir, 'probe.mjs');
  writeFileSync(
    script,
    `import { constants, PerformanceObserver } from 'node:perf_hooks';
     if (${bound}) (await import(${JSON.stringify(join(SERVER_DIR, 'src', 'bin', 'heap-growth.ts'))})).boundHeapGrowth();
     let full = 0;
     new PerformanceObserver((list) => {
       for (const entry of list.getEntries()) if (entry.detail?.kind === constants.NODE_PERFORMANCE_GC_MAJOR) full++;
     }).observe({ entryTypes: ['gc'] });
     const kept = Array.from({ length: 8 }, () => Array.from({ length: 64 * 1024 }, (_, x) => ({ x })));
     const inFlight = new Array(64).fill(null);
     for (let i = 0; i < 2000; i++) inFlight[i % 64] = Array.from({ length: 8 * 1024 }, (_, x) => ({ x, i }));
     setTimeout(() => process.stdout.write(full + ' ' + kept.length), 100);`,
  );
  const result = spawnSync(
    process.execPath,
    ['--max-semi-space-size=1', ...flags, '--import', 'tsx', script],
    { cwd: SERVER_DIR, env: { PATH: process.env.PATH ?? '' }, encoding: 'utf8' },
  );
  expect(result.status, result.stderr).toBe(0);
  // What was kept is printed too, so it is kept to the end.
  return Number(result.stdout.split(' ')[0]);
}

describe("the server process's heap growth", () => {
  it('collects the old generation when it grows by a fifth, not only once it is several times what survived', () => {
    const unbounded = fullCollections(false);
    expect(unbounded).toBeGreaterThan(0);
    expect(fullCollections(true)).toBeGreaterThan(4 * unbounded);
  });

  it('leaves the growth the process was started with', () => {
    expect(fullCollections(true, ['--heap-growing-percent=300'])).toBeLessThan(2 * fullCollections(false));
  });
});
