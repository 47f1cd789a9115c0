import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { TestProject } from 'vitest/node';

declare module 'vitest' {
  interface ProvidedContext {
    /** The production build of `/widget.js`, made once for the whole run. */
    widgetFile: string;
    /** The production build of the dashboard (`/admin/`), made once for the whole run. */
    dashboardDir: string;
  }
}

const WIDGET = join(import.meta.dirname, '..', '..', 'widget');
const DASHBOARD = join(import.meta.dirname, '..', '..', 'dashboard');

/** Runs a package's own Vite (`vite build …args`) into a new temporary folder; returns the folder. */
async function viteBuild(pkg: string, prefix: string, args: string[] = []): Promise<string> {
  const outDir = mkdtempSync(join(tmpdir(), prefix));
  await promisify(execFile)(
    process.execPath,
    [
      join(pkg, 'node_modules', 'vite', 'bin', 'vite.js'),
      'build',
      ...args,
      '--outDir',
      outDir,
      '--logLevel',
      'error',
    ],
    { cwd: pkg },
  );
  return outDir;
}

/**
 * Builds the widget and the dashboard once per test run, as `pnpm build` does but into folders
 * of their own, for the size budget and the end-to-end tests (so no prior build is needed).
 */
export default async function setup(project: TestProject): Promise<() => void> {
  const [widgetDir, dashboardDir] = await Promise.all([
    viteBuild(WIDGET, 'igepay-widget-'),
    viteBuild(DASHBOARD, 'igepay-dashboard-'),
  ]);
  project.provide('widgetFile', join(widgetDir, 'widget.js'));
  project.provide('dashboardDir', dashboardDir);
  return () => {
    rmSync(widgetDir, { recursive: true, force: true });
    rmSync(dashboardDir, { recursive: true, force: true });
  };
}
