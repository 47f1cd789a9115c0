/**
 * `scripts/ensure-built.mjs`, which `pnpm serve`, `pnpm start`, `pnpm sandbox` and `pnpm igepay`
 * run first: it builds only when a build output is missing or older than its sources. Run in a
 * scratch tree laid out as the repository is, with a `pnpm` on PATH that records its calls.
 */
import { execFile } from 'node:child_process';
import {
  chmodSync,
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { ROOT } from './matrix/runtimes.js';

const run = promisify(execFile);
const SOURCES = [
  'tsconfig.base.json',
  'webhook/tsconfig.json',
  'webhook/src/index.ts',
  'shared/tsconfig.json',
  'shared/src/index.ts',
  'server/tsconfig.json',
  'server/src/bin/serve.ts',
  'widget/tsconfig.json',
  'widget/vite.config.ts',
  'widget/src/igepay-button.ts',
  'dashboard/index.html',
  'dashboard/vite.config.ts',
  'dashboard/src/app.ts',
];
const OUTPUTS = [
  'webhook/dist/tsconfig.tsbuildinfo',
  'shared/tsconfig.tsbuildinfo',
  'server/tsconfig.tsbuildinfo',
  'widget/dist/tsconfig.tsbuildinfo',
  'widget/dist/widget.js',
  'dashboard/dist/index.html',
  'server/widget/widget.js',
  'server/dashboard/index.html',
];

let tree: string;
const at = (file: string) => join(tree, file);
function write(file: string, when: number) {
  mkdirSync(dirname(at(file)), { recursive: true });
  writeFileSync(at(file), '');
  utimesSync(at(file), when, when);
}

beforeEach(() => {
  tree = mkdtempSync(join(tmpdir(), 'igepay-built-'));
  mkdirSync(at('scripts'));
  copyFileSync(join(ROOT, 'scripts', 'ensure-built.mjs'), at('scripts/ensure-built.mjs'));
  // The fake pnpm notes that it ran, as `pnpm build` would by writing the outputs.
  mkdirSync(at('bin'));
  writeFileSync(at('bin/pnpm'), `#!/bin/sh\necho "$@" >> "${at('pnpm-calls')}"\n`);
  chmodSync(at('bin/pnpm'), 0o755);
  const hourAgo = Date.now() / 1000 - 3600;
  for (const file of SOURCES) write(file, hourAgo);
  for (const file of OUTPUTS) write(file, hourAgo + 60);
});
afterEach(() => rmSync(tree, { recursive: true, force: true }));

async function ensureBuilt() {
  const { stderr } = await run(process.execPath, [at('scripts/ensure-built.mjs')], {
    env: { PATH: `${at('bin')}:${process.env.PATH ?? ''}` },
  });
  // What the fake pnpm was asked to do: `build`, once, or nothing.
  const built = existsSync(at('pnpm-calls')) && readFileSync(at('pnpm-calls'), 'utf8') === 'build\n';
  rmSync(at('pnpm-calls'), { force: true });
  return { built, stderr };
}

it('runs nothing on a tree built after its last change', async () => {
  expect(await ensureBuilt()).toEqual({ built: false, stderr: '' });
});

it('builds when a source changed after its build, and says which', async () => {
  write('server/src/bin/serve.ts', Date.now() / 1000);
  expect(await ensureBuilt()).toEqual({
    built: true,
    stderr: 'Building first: server/src/bin/serve.ts is newer than server/tsconfig.tsbuildinfo.\n',
  });
  // The widget's bundle is built from the shared package's sources too.
  write('shared/src/index.ts', Date.now() / 1000);
  write('shared/tsconfig.tsbuildinfo', Date.now() / 1000 + 1);
  write('server/tsconfig.tsbuildinfo', Date.now() / 1000 + 1);
  write('widget/dist/tsconfig.tsbuildinfo', Date.now() / 1000 + 1);
  expect(await ensureBuilt()).toMatchObject({
    built: true,
    stderr: expect.stringContaining('widget/dist/widget.js'),
  });
});

it('builds a tree that was never built', async () => {
  rmSync(at('widget/dist'), { recursive: true });
  expect(await ensureBuilt()).toEqual({
    built: true,
    stderr: 'Building first: widget/dist/tsconfig.tsbuildinfo is missing.\n',
  });
});
