#!/usr/bin/env node
// `pnpm pack:all`: the four published packages as tarballs in ./tarballs/, each packed as
// `pnpm publish` would (its prepack builds it from clean). What a merchant installs until the
// packages are on npm, and what the release workflow attaches to a release.
import { spawnSync } from 'node:child_process';
import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';

const ROOT = join(import.meta.dirname, '..');
const into = join(ROOT, 'tarballs');
rmSync(into, { recursive: true, force: true });
mkdirSync(into);
for (const name of ['webhook', 'shared', 'server', 'widget']) {
  const result = spawnSync('pnpm', ['pack', '--pack-destination', into], {
    cwd: join(ROOT, name),
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  if (result.status !== 0) process.exit(result.status ?? 1);
}
