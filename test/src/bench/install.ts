/**
 * `pnpm bench:install [other checkout]`: what installing the packages costs a merchant. The
 * three tarballs, packed as `pnpm publish` would, installed with npm into an empty project
 * with an empty npm cache (everything downloaded from the registry, as on a new machine) and
 * no compiler (`CC=/bin/false`): the time, node_modules' size and its package count, the
 * median of BENCH_INSTALL_ROUNDS (3). The baseline, in the same run: Fastify alone, which the
 * merchant's app has already. With another checkout, its tarballs too, side by side, installed
 * with the machine's compiler (an earlier build may need one: better-sqlite3 did).
 */
import { execFile, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { merchantEnv } from '../merchant-env.js';

const run = promisify(execFile);
const ROOT = join(import.meta.dirname, '..', '..', '..');
const ROUNDS = Number(process.env.BENCH_INSTALL_ROUNDS ?? 3);
/** The published packages; an earlier checkout may have fewer (no webhook/ before issue 27). */
const PACKAGES = ['webhook', 'shared', 'server', 'widget'];

/** Packs the three packages of the checkout at `root` into `into`; their tarballs' paths. */
async function pack(root: string, into: string): Promise<string[]> {
  mkdirSync(into, { recursive: true });
  for (const name of PACKAGES.filter((name) => existsSync(join(root, name, 'package.json'))))
    await run('pnpm', ['pack', '--pack-destination', into], { cwd: join(root, name) });
  return readdirSync(into).map((file) => join(into, file));
}

/** Bytes under `dir` (as `du` counts them: blocks in use) and the packages in its node_modules. */
function measure(dir: string): { mb: number; packages: number } {
  const du = spawnSync('du', ['-sk', join(dir, 'node_modules')], { encoding: 'utf8' });
  const ls = spawnSync('npm', ['ls', '--all', '--parseable'], { cwd: dir, encoding: 'utf8' });
  return {
    mb: Number(du.stdout.split('\t')[0]) / 1024,
    packages: ls.stdout.trim().split('\n').length - 1,
  };
}

/** One cold install of `specs` into an empty project: seconds, MB and packages. */
async function coldInstall(
  specs: string[],
  compiler: boolean,
): Promise<{ seconds: number; mb: number; packages: number }> {
  const dir = mkdtempSync(join(tmpdir(), 'igepay-install-'));
  try {
    writeFileSync(join(dir, 'package.json'), '{ "name": "merchant", "private": true, "type": "module" }\n');
    const started = performance.now();
    await run('npm', ['install', '--cache', join(dir, '.npm'), '--no-audit', '--no-fund', ...specs], {
      cwd: dir,
      env: compiler ? MERCHANT_ENV : { ...MERCHANT_ENV, CC: '/bin/false', CXX: '/bin/false' },
      maxBuffer: 1 << 24,
    });
    const seconds = (performance.now() - started) / 1000;
    return { seconds, ...measure(dir) };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const MERCHANT_ENV = merchantEnv();

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? 0;

const work = mkdtempSync(join(tmpdir(), 'igepay-bench-install-'));
try {
  const fastify = JSON.parse(
    spawnSync('npm', ['view', 'fastify@5', 'version', '--json'], { encoding: 'utf8' }).stdout,
  ) as string[];
  const candidates: Record<string, string[]> = {
    'fastify alone (baseline)': [`fastify@${fastify.at(-1)}`],
    'this checkout': await pack(ROOT, join(work, 'this')),
  };
  if (process.argv[2])
    candidates['other checkout'] = await pack(resolve(process.argv[2]), join(work, 'other'));
  const results: Record<string, { seconds: number; mb: number; packages: number }> = {};
  for (let round = 0; round < ROUNDS; round++) {
    for (const [name, specs] of Object.entries(candidates)) {
      const result = await coldInstall(specs, name === 'other checkout');
      results[`${name}#${round}`] = result;
      process.stderr.write(`${name}, round ${round + 1}: ${result.seconds.toFixed(1)} s\n`);
    }
  }
  console.log(`Node ${process.version}, npm ${spawnSync('npm', ['-v'], { encoding: 'utf8' }).stdout.trim()}`);
  console.log('| install | cold npm i, s | node_modules, MB | packages | time vs baseline |');
  console.log('| --- | ---: | ---: | ---: | ---: |');
  const summary = Object.keys(candidates).map((name) => {
    const rounds = Array.from({ length: ROUNDS }, (_, round) => results[`${name}#${round}`]).filter(
      (result) => result !== undefined,
    );
    return {
      name,
      seconds: median(rounds.map((result) => result.seconds)),
      mb: median(rounds.map((result) => result.mb)),
      packages: median(rounds.map((result) => result.packages)),
    };
  });
  const baseline = summary[0]?.seconds ?? 1;
  for (const { name, seconds, mb, packages } of summary) {
    console.log(
      `| ${name} | ${seconds.toFixed(1)} | ${mb.toFixed(1)} | ${packages} | ${(seconds / baseline).toFixed(2)}x |`,
    );
  }
  console.log(
    `(median of ${ROUNDS} rounds; an empty npm cache each time; CC=/bin/false${process.argv[2] ? ', but for the other checkout' : ''})`,
  );
} finally {
  rmSync(work, { recursive: true, force: true });
}
