#!/usr/bin/env node
// Builds the packages only when a build output is missing or older than what it is built from,
// so `pnpm serve`, `pnpm start`, `pnpm sandbox` and `pnpm igepay` start what is built, without
// running tsc or Vite, once `pnpm build` has run. Plain JavaScript: it runs before any build.
import { spawnSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

const ROOT = join(import.meta.dirname, '..');
const BASE = ['tsconfig.base.json'];

/** Each output, and what it is built from (files, or folders read recursively). */
const OUTPUTS = [
  { output: 'webhook/dist/tsconfig.tsbuildinfo', from: ['webhook/src', 'webhook/tsconfig.json', ...BASE] },
  { output: 'shared/tsconfig.tsbuildinfo', from: ['shared/src', 'shared/tsconfig.json', ...BASE] },
  { output: 'server/tsconfig.tsbuildinfo', from: ['server/src', 'server/tsconfig.json', ...BASE] },
  { output: 'widget/dist/tsconfig.tsbuildinfo', from: ['widget/src', 'widget/tsconfig.json', ...BASE] },
  { output: 'widget/dist/widget.js', from: ['widget/src', 'shared/src', 'widget/vite.config.ts'] },
  {
    output: 'dashboard/dist/index.html',
    from: ['dashboard/src', 'shared/src', 'dashboard/index.html', 'dashboard/vite.config.ts'],
  },
  { output: 'server/widget/widget.js', from: ['widget/dist/widget.js'] },
  { output: 'server/dashboard/index.html', from: ['dashboard/dist/index.html'] },
];

/** @param {string} path @returns {number | undefined} the modification time, if the file exists */
function mtime(path) {
  try {
    return statSync(join(ROOT, path)).mtimeMs;
  } catch {
    return undefined;
  }
}

/** @param {string} path @returns {{ path: string, time: number } | undefined} the newest file at or under `path` */
function newest(path) {
  const full = join(ROOT, path);
  let stats;
  try {
    stats = statSync(full);
  } catch {
    return undefined;
  }
  if (!stats.isDirectory()) return { path, time: stats.mtimeMs };
  let best;
  for (const entry of readdirSync(full, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const file = join(entry.parentPath, entry.name);
    const time = statSync(file).mtimeMs;
    if (!best || time > best.time) best = { path: relative(ROOT, file), time };
  }
  return best;
}

/** @returns {string | undefined} why a build is needed, if it is */
function staleness() {
  for (const { output, from } of OUTPUTS) {
    const built = mtime(output);
    if (built === undefined) return `${output} is missing`;
    for (const source of from) {
      const changed = newest(source);
      if (changed && changed.time > built) return `${changed.path} is newer than ${output}`;
    }
  }
  return undefined;
}

const why = staleness();
if (why) {
  process.stderr.write(`Building first: ${why}.\n`);
  const result = spawnSync('pnpm', ['build'], { cwd: ROOT, stdio: ['ignore', process.stderr, 'inherit'] });
  process.exit(result.status ?? 1);
}
