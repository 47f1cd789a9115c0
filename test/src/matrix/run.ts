/**
 * The suites that depend on the runtime, on each Node version of `.ci/node-versions`: the
 * shared package's, the server's (SQLite and PostgreSQL stores, the CLI, nginx, HTTPS) and the
 * packed-install test, which installs the tarballs with npm as a merchant would. Each version
 * gets a copy of the working tree with an install of its own, because better-sqlite3 compiles
 * for one Node ABI at a time. The browser, end-to-end and widget suites, which do not depend on
 * the server's Node, run once, on the machine's Node, before this.
 *
 * `node test/dist/matrix/run.js [version...] [filter...]`: the versions (default: every one of
 * the file) and vitest's path filters (default: the suites above).
 */
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { ensureRuntime, matrixVersions, ROOT, type Runtime } from './runtimes.js';
import { workingTree } from './tree.js';

/** What runs on each version: vitest's path filters. */
const SUITES = ['shared/test/', 'server/test/', 'test/src/packages.test.ts'];

/** The environment for `runtime`: its `node` first on PATH, and native addons built against its headers. */
function envFor(runtime: Runtime): NodeJS.ProcessEnv {
  const env = Object.fromEntries(
    // pnpm passes its own settings on as npm_config_* and npm_package_*: a child pnpm starts clean.
    Object.entries(process.env).filter(([name]) => !/^(npm|pnpm)_/i.test(name)),
  );
  return {
    ...env,
    PATH: `${dirname(runtime.node)}:${process.env.PATH ?? ''}`,
    // node-gyp builds against these headers, not the machine's (npm's `nodedir` may name them).
    npm_config_nodedir: runtime.home,
  };
}

function step(what: string, command: string, args: string[], cwd: string, env: NodeJS.ProcessEnv) {
  const started = Date.now();
  console.log(`\n[node matrix] ${what}: ${command} ${args.join(' ')}`);
  const result = spawnSync(command, args, { cwd, env, stdio: 'inherit' });
  const seconds = ((Date.now() - started) / 1000).toFixed(0);
  if (result.status !== 0) {
    throw new Error(`${what} failed (exit ${result.status ?? result.signal}) after ${seconds} s`);
  }
  console.log(`[node matrix] ${what}: done in ${seconds} s`);
}

function runOn(version: string, suites: readonly string[]): void {
  const runtime = ensureRuntime(version);
  const env = envFor(runtime);
  // Outside the repository, so nothing resolves to the machine's own node_modules above it.
  const copy = mkdtempSync(join(tmpdir(), `igepay-node-${version}-`));
  try {
    for (const file of workingTree(ROOT)) cpSync(join(ROOT, file), join(copy, file));
    step(`Node ${version}, install`, 'pnpm', ['install', '--frozen-lockfile', '--prefer-offline'], copy, env);
    step(`Node ${version}, tests`, 'pnpm', ['exec', 'vitest', 'run', ...suites], copy, env);
  } finally {
    rmSync(copy, { recursive: true, force: true });
  }
}

const args = process.argv.slice(2);
const asked = args.filter((arg) => /^\d+\.\d+\.\d+$/.test(arg));
const filters = args.filter((arg) => !asked.includes(arg));
const versions = asked.length > 0 ? asked : matrixVersions();
try {
  for (const version of versions) runOn(version, filters.length > 0 ? filters : SUITES);
  console.log(`\n[node matrix] passed on Node ${versions.join(', ')}`);
} catch (error) {
  console.error(`\n[node matrix] ${(error as Error).message}`);
  process.exitCode = 1;
}
