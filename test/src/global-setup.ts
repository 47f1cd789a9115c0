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
const SERVER = join(import.meta.dirname, '..', '..', 'server');

/**
 * Builds the widget and the dashboard once per test run, as `pnpm build` does but into folders
 * of their own, for the size budget and the end-to-end tests (so no prior build is needed).
 */
export default async function setup(project: TestProject): Promise<() => void> {
  const outDir = mkdtempSync(join(tmpdir(), 'igepay-widget-'));
  await promisify(execFile)(
    process.execPath,
    [
      join(WIDGET, 'node_modules', 'vite', 'bin', 'vite.js'),
      'build',
      '--outDir',
      outDir,
      '--logLevel',
      'error',
    ],
    { cwd: WIDGET },
  );
  project.provide('widgetFile', join(outDir, 'widget.js'));
  const dashboardDir = mkdtempSync(join(tmpdir(), 'igepay-dashboard-'));
  await promisify(execFile)(
    process.execPath,
    [
      join(SERVER, 'node_modules', 'vite', 'bin', 'vite.js'),
      'build',
      '--config',
      join(SERVER, 'dashboard', 'vite.config.ts'),
      '--outDir',
      dashboardDir,
      '--logLevel',
      'error',
    ],
    { cwd: SERVER },
  );
  project.provide('dashboardDir', dashboardDir);
  return () => {
    rmSync(outDir, { recursive: true, force: true });
    rmSync(dashboardDir, { recursive: true, force: true });
  };
}
