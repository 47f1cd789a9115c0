#!/usr/bin/env node
// Copies what the browser packages built into @igepay/server, which ships and serves them, so
// the server needs neither package (nor Lit) installed: the widget (widget/dist/widget.js,
// with its .gz and .br) into server/widget/, served as /widget.js; the dashboard
// (dashboard/dist) into server/dashboard/, served at /admin/. Run by `pnpm build` and by the
// server's prepack.
import { copyFileSync, cpSync, mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';

const ROOT = join(import.meta.dirname, '..');
const widget = join(ROOT, 'server', 'widget');
mkdirSync(widget, { recursive: true });
for (const file of ['widget.js', 'widget.js.gz', 'widget.js.br'])
  copyFileSync(join(ROOT, 'widget', 'dist', file), join(widget, file));
// A whole new copy: the dashboard's script names change with their contents.
const dashboard = join(ROOT, 'server', 'dashboard');
rmSync(dashboard, { recursive: true, force: true });
cpSync(join(ROOT, 'dashboard', 'dist'), dashboard, { recursive: true });
