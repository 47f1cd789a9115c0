/**
 * The suites that depend on the runtime, on each Node version of `.ci/node-versions` after the
 * first (which runs all of `pnpm test`): the webhook and shared packages', the server's (SQLite and
 * PostgreSQL stores, the CLI, nginx, HTTPS) and the packed-install test, which installs the
 * tarballs with npm as a merchant would. They run on this checkout as it is: no package has
 * native code, so one install serves every version.
 *
 * `node test/dist/matrix/run.js [version...] [filter...]`: the versions (default: every one of
 * the file but the first) and vitest's path filters (default: the suites above).
 */
import { spawnSync } from 'node:child_process';
import { dirname } from 'node:path';
import { ensureRuntime, matrixVersions, ROOT, type Runtime } from './runtimes.js';

/** What runs on each version: vitest's path filters. */
const SUITES = ['webhook/test/', 'shared/test/', 'server/test/', 'test/src/packages.test.ts'];

/** The environment for `runtime`: its `node` (and its npm) first on PATH. */
function envFor(runtime: Runtime): NodeJS.ProcessEnv {
  const env = Object.fromEntries(
    // pnpm passes its own settings on as npm_config_* and npm_package_*: a child pnpm starts clean.
    Object.entries(process.env).filter(([name]) => !/^(npm|pnpm)_/i.test(name)),
  );
  return { ...env, PATH: `${dirname(runtime.node)}:${process.env.PATH ?? ''}` };
}

function runOn(version: string, suites: readonly string[]): void {
  const env = envFor(ensureRuntime(version));
  const started = Date.now();
  console.log(`\n[node matrix] Node ${version}: vitest run ${suites.join(' ')}`);
  // vitest's bin starts with `node` from PATH, and its workers are that Node too.
  const result = spawnSync('pnpm', ['exec', 'vitest', 'run', ...suites], {
    cwd: ROOT,
    env,
    stdio: 'inherit',
  });
  const seconds = ((Date.now() - started) / 1000).toFixed(0);
  if (result.status !== 0) {
    throw new Error(`Node ${version} failed (exit ${result.status ?? result.signal}) after ${seconds} s`);
  }
  console.log(`[node matrix] Node ${version}: done in ${seconds} s`);
}

const args = process.argv.slice(2);
const asked = args.filter((arg) => /^\d+\.\d+\.\d+$/.test(arg));
const filters = args.filter((arg) => !asked.includes(arg));
const versions = asked.length > 0 ? asked : matrixVersions().slice(1);
try {
  for (const version of versions) runOn(version, filters.length > 0 ? filters : SUITES);
  console.log(`\n[node matrix] passed on Node ${versions.join(', ')}`);
} catch (error) {
  console.error(`\n[node matrix] ${(error as Error).message}`);
  process.exitCode = 1;
}
