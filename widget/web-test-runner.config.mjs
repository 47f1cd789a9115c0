import { readFileSync } from 'node:fs';
import { esbuildPlugin } from '@web/dev-server-esbuild';
import { chromeLauncher } from '@web/test-runner-chrome';

const here = new URL('.', import.meta.url).pathname;
// Chromium is started the same way by every browser test of the repository.
const chromium = JSON.parse(readFileSync(new URL('../test/chromium.json', import.meta.url), 'utf8'));

// The widget's tests run in Debian's Chromium (nothing downloads a browser), on the
// TypeScript sources of the widget and @igepay/shared (no build needed).
export default {
  // The repository root: @igepay/shared's sources are served too.
  rootDir: `${here}..`,
  files: [`${here}test/**/*.test.ts`],
  nodeResolve: { exportConditions: ['@igepay/source', 'browser', 'development'] },
  plugins: [esbuildPlugin({ ts: true, target: 'es2022', tsconfig: `${here}tsconfig.json` })],
  browsers: [
    chromeLauncher({
      launchOptions: {
        executablePath: process.env.CHROME_PATH ?? chromium.executablePath,
        args: chromium.args,
      },
    }),
  ],
  testFramework: { config: { timeout: 10_000 } },
  testsFinishTimeout: 120_000,
};
