import { esbuildPlugin } from '@web/dev-server-esbuild';
import { chromeLauncher } from '@web/test-runner-chrome';
import { webdriverLauncher } from '@web/test-runner-webdriver';
import puppeteer from 'puppeteer-core';
import {
  CHROMIUM,
  enginesToTest,
  FIREFOX,
  sizedOnFirefox140,
  startWebKitDriver,
} from '../test/src/browsers.mjs';

const here = new URL('.', import.meta.url).pathname;
const engines = enginesToTest();
// WebKit is driven over classic WebDriver, through WebKitGTK's own driver (on Xvfb).
const webkit = engines.includes('webkit') ? await startWebKitDriver() : undefined;

// The widget's tests run in the three engines buyers have, Debian's builds (nothing downloads
// a browser), on the TypeScript sources of the widget and @igepay/shared (no build needed).
const launchers = {
  chromium: () => chromeLauncher({ launchOptions: CHROMIUM }),
  // The same launcher drives Firefox over WebDriver BiDi, given puppeteer-core itself.
  firefox: () =>
    chromeLauncher({
      puppeteer,
      launchOptions: { ...FIREFOX, headless: true },
      createPage: async ({ context }) => sizedOnFirefox140(await context.newPage()),
    }),
  webkit: () =>
    webdriverLauncher({
      hostname: '127.0.0.1',
      port: webkit?.port,
      path: '/',
      logLevel: 'error',
      capabilities: webkit?.capabilities,
    }),
};

export default {
  // The repository root: @igepay/shared's sources are served too.
  rootDir: `${here}..`,
  files: [`${here}test/**/*.test.ts`],
  nodeResolve: { exportConditions: ['@igepay/source', 'browser', 'development'] },
  plugins: [
    esbuildPlugin({ ts: true, target: 'es2022', tsconfig: `${here}tsconfig.json` }),
    { name: 'igepay-webkit-driver', serverStop: () => webkit?.stop() },
  ],
  browsers: engines.map((engine) => launchers[engine]()),
  // One engine at a time (2 cores): the timing of long polls and popups stays that of one tab.
  concurrentBrowsers: 1,
  testFramework: { config: { timeout: 10_000 } },
  testsFinishTimeout: 180_000,
};
