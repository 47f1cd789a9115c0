#!/usr/bin/env node
// Copies the built widget (widget/dist/widget.js, with its .gz and .br) into server/widget/:
// @igepay/server ships it and serves it as /widget.js, so the server needs no widget package
// (and no Lit) installed. Run by `pnpm build` and by the server's prepack.
import { copyFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';

const ROOT = join(import.meta.dirname, '..');
const into = join(ROOT, 'server', 'widget');
mkdirSync(into, { recursive: true });
for (const file of ['widget.js', 'widget.js.gz', 'widget.js.br'])
  copyFileSync(join(ROOT, 'widget', 'dist', file), join(into, file));
