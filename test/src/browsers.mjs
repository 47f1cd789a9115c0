// @ts-check
/**
 * How every browser test of the repository starts the three engines buyers have: Debian's
 * Chromium, Firefox ESR and WebKitGTK (nothing downloads a browser). Plain JavaScript, so that
 * the widget's test-runner config can import it without a build.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** The engines, by the names the tests use. */
export const ENGINES = /** @type {const} */ (['chromium', 'firefox', 'webkit']);

/** @typedef {(typeof ENGINES)[number]} Engine */

/**
 * The engines a run tests: all three, or those `IGEPAY_BROWSERS` names (comma-separated), to
 * look at one engine while working on it.
 * @returns {Engine[]}
 */
export function enginesToTest() {
  const wanted = (process.env.IGEPAY_BROWSERS ?? '').split(',').filter(Boolean);
  for (const name of wanted) {
    if (!ENGINES.includes(/** @type {Engine} */ (name)))
      throw new Error(`IGEPAY_BROWSERS: ${name} is not one of ${ENGINES.join(', ')}`);
  }
  return wanted.length ? /** @type {Engine[]} */ (wanted) : [...ENGINES];
}

/**
 * Debian's Chromium, run as root, with the background traffic a closed network refuses turned
 * off; `CHROME_PATH` points elsewhere.
 */
export const CHROMIUM = {
  executablePath: process.env.CHROME_PATH ?? '/usr/bin/chromium',
  args: [
    '--no-sandbox',
    '--disable-gpu',
    '--disable-dev-shm-usage',
    '--disable-background-networking',
    '--disable-component-update',
    '--no-first-run',
  ],
};

/**
 * Debian's Firefox ESR, driven over WebDriver BiDi by puppeteer-core; `FIREFOX_PATH` points
 * elsewhere. The preferences keep it from calling home, and let a page open the one popup a
 * click allows (as a buyer's Firefox does).
 */
export const FIREFOX = {
  browser: /** @type {const} */ ('firefox'),
  executablePath: process.env.FIREFOX_PATH ?? '/usr/bin/firefox-esr',
  extraPrefsFirefox: {
    'app.update.enabled': false,
    'browser.shell.checkDefaultBrowser': false,
    'datareporting.policy.dataSubmissionEnabled': false,
    'network.captive-portal-service.enabled': false,
    'network.connectivity-service.enabled': false,
    'browser.safebrowsing.malware.enabled': false,
    'browser.safebrowsing.phishing.enabled': false,
  },
};

/**
 * A Firefox page whose `setViewport` works on Firefox ESR 140 (Debian bookworm's): puppeteer
 * sends `emulation.setScreenOrientationOverride` beside every viewport, a BiDi command that
 * Firefox 140 does not know. The viewport's own command is kept: the page is its new size
 * before this returns, or it throws. Any other error still throws.
 * @template {{ setViewport(viewport: { width: number; height: number } | null): Promise<void>; evaluate<T>(fn: () => T): Promise<T> }} P
 * @param {P} page
 * @returns {P}
 */
export function sizedOnFirefox140(page) {
  const setViewport = page.setViewport.bind(page);
  page.setViewport = async (viewport) => {
    try {
      await setViewport(viewport);
    } catch (error) {
      const message = error instanceof Error ? error.message : '';
      if (!message.includes('unknown command emulation.setScreenOrientationOverride')) throw error;
      if (!viewport) return;
      // Both commands went out together; the viewport's may land just after the refusal.
      for (let tries = 0; ; tries += 1) {
        const width = await page.evaluate(
          () => /** @type {{ innerWidth: number }} */ (/** @type {unknown} */ (globalThis)).innerWidth,
        );
        if (width === viewport.width) return;
        if (tries === 50) throw new Error(`Firefox kept a width of ${width}, not ${viewport.width}`);
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    }
  };
  return page;
}

/** WebKitGTK's MiniBrowser (Debian's `webkit2gtk-driver`), the nearest thing to Safari here. */
function miniBrowser() {
  if (process.env.MINIBROWSER_PATH) return process.env.MINIBROWSER_PATH;
  for (const arch of existsSync('/usr/lib') ? readdirSync('/usr/lib') : []) {
    const path = join('/usr/lib', arch, 'webkit2gtk-4.1', 'MiniBrowser');
    if (existsSync(path)) return path;
  }
  throw new Error('WebKitGTK MiniBrowser not found: apt-get install webkit2gtk-driver');
}

/** A free TCP port on loopback. @returns {Promise<number>} */
function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

/**
 * A display for browsers that need one: `DISPLAY` if set, else a new Xvfb's (Debian's `xvfb`).
 * @returns {Promise<{ display: string, stop: () => void }>}
 */
async function display() {
  if (process.env.DISPLAY) return { display: process.env.DISPLAY, stop: () => {} };
  const xvfb = spawn('Xvfb', ['-displayfd', '3', '-screen', '0', '1280x1024x24', '-nolisten', 'tcp'], {
    stdio: ['ignore', 'ignore', 'pipe', 'pipe'],
  });
  const number = await new Promise((resolve, reject) => {
    let said = '';
    let errors = '';
    xvfb.stderr?.on('data', (chunk) => {
      errors += chunk;
    });
    xvfb.stdio[3]?.on('data', (chunk) => {
      said += chunk;
      if (said.includes('\n')) resolve(said.trim());
    });
    xvfb.once('error', (error) => reject(new Error(`Xvfb: ${error.message} (apt-get install xvfb)`)));
    xvfb.once('exit', (code) => reject(new Error(`Xvfb exited (${code}): ${errors.trim()}`)));
  });
  return { display: `:${number}`, stop: () => xvfb.kill() };
}

/**
 * Starts WebKitGTK's WebDriver server (classic WebDriver) on a free loopback port, on Xvfb
 * when no display is set. `capabilities` start a MiniBrowser session through it.
 * @returns {Promise<{ port: number, capabilities: Record<string, unknown>, stop: () => void }>}
 */
export async function startWebKitDriver() {
  const screen = await display();
  const port = await freePort();
  const home = mkdtempSync(join(tmpdir(), 'igepay-webkit-'));
  const driver = spawn('WebKitWebDriver', [`--port=${port}`, '--host=127.0.0.1'], {
    // Its own home: the browser's caches and storage start empty every run.
    env: { ...process.env, DISPLAY: screen.display, HOME: home, XDG_CACHE_HOME: join(home, 'cache') },
    stdio: 'ignore',
  });
  const stop = () => {
    driver.kill();
    screen.stop();
    rmSync(home, { recursive: true, force: true });
  };
  process.once('exit', stop);
  await new Promise((resolve, reject) => {
    driver.once('error', (error) =>
      reject(new Error(`WebKitWebDriver: ${error.message} (apt-get install webkit2gtk-driver)`)),
    );
    const deadline = Date.now() + 20_000;
    const poll = () =>
      fetch(`http://127.0.0.1:${port}/status`).then(resolve, () =>
        Date.now() > deadline ? reject(new Error('WebKitWebDriver did not start')) : setTimeout(poll, 100),
      );
    poll();
  });
  return {
    port,
    capabilities: {
      browserName: 'MiniBrowser',
      // Classic WebDriver: WebKitGTK's driver speaks no BiDi.
      'wdio:enforceWebDriverClassic': true,
      'webkitgtk:browserOptions': { binary: miniBrowser(), args: ['--automation'] },
    },
    stop,
  };
}
