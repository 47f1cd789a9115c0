/**
 * Buyers in the three engines buyers have, driven as stock browsers: Debian's Chromium over CDP
 * and Firefox ESR over WebDriver BiDi (puppeteer-core), WebKitGTK's MiniBrowser over classic
 * WebDriver (webdriverio). One small interface over the three, so each story is written once.
 * Clicks are the drivers' own input, as a person's are: a click may open a window.
 */
import { writeFileSync } from 'node:fs';
import puppeteer, { type Browser, type BrowserContext, type Page } from 'puppeteer-core';
import { remote } from 'webdriverio';
import { CHROMIUM, type Engine, FIREFOX, sizedOnFirefox140, startWebKitDriver } from '../browsers.mjs';

/** A viewport size. */
export interface Size {
  readonly width: number;
  readonly height: number;
}

/** One window of a buyer's browser. */
export interface Tab {
  goto(url: string): Promise<void>;
  url(): Promise<string>;
  reload(): Promise<void>;
  back(): Promise<void>;
  /** The value of `expression`, evaluated in the page (JSON-serialisable). */
  eval<T>(expression: string): Promise<T>;
  /**
   * Clicks what `css` finds, as the buyer would: inside the shadow root of the element with id
   * `host` when given, else in the page.
   */
  click(css: string, host?: string): Promise<void>;
  /** Types `text` into what `css` finds (inside `host`'s shadow root when given). */
  type(css: string, text: string, host?: string): Promise<void>;
  /** A screenshot of the window's viewport, written to `path`. */
  screenshot(path: string): Promise<void>;
  close(): Promise<void>;
}

/** A buyer: a browser profile of their own (fresh storage), with one window or more. */
export interface Buyer {
  readonly engine: Engine;
  /** The buyer's first window, on `url`, `size` its viewport (default 1100 × 900). */
  open(url: string, size?: Size): Promise<Tab>;
  /** Runs `action` (a click) and returns the window it opened. */
  popup(action: () => Promise<void>): Promise<Tab>;
  /** How many windows the buyer has open. */
  windows(): Promise<number>;
  close(): Promise<void>;
}

/** An engine's browser, from which buyers come. */
export interface BrowserDriver {
  readonly engine: Engine;
  buyer(): Promise<Buyer>;
  stop(): Promise<void>;
}

/** Waits until `expression` is truthy in `tab`; its last value, when it never is, in the error. */
export async function until<T>(tab: Tab, expression: string, ms = 15_000): Promise<T> {
  const deadline = Date.now() + ms;
  let last: unknown;
  for (;;) {
    try {
      last = await tab.eval<T>(expression);
      if (last) return last as T;
    } catch (error) {
      last = error; // A page between two documents.
    }
    if (Date.now() > deadline) throw new Error(`not met in ${ms} ms: ${expression} (last: ${String(last)})`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

const DESKTOP: Size = { width: 1100, height: 900 };

/** Runs `action`, then waits for the window it opened: what `windows` lists that it did not before. */
async function opened<T>(windows: () => Promise<T[]>, action: () => Promise<void>): Promise<T> {
  const before = new Set(await windows());
  await action();
  const deadline = Date.now() + 10_000;
  for (;;) {
    const found = (await windows()).find((window) => !before.has(window));
    if (found !== undefined) return found;
    if (Date.now() > deadline) throw new Error('no window opened');
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** A deep selector for puppeteer: `css` inside `host`'s shadow root. */
const deep = (css: string, host?: string) => (host ? `#${host} >>> ${css}` : css);

function puppeteerTab(page: Page): Tab {
  return {
    goto: async (url) => void (await page.goto(url)),
    // What the page itself says: the driver's own record can lag a navigation (Firefox).
    url: () => page.evaluate('location.href') as Promise<string>,
    reload: async () => void (await page.reload()),
    back: async () => void (await page.goBack()),
    eval: (expression) => page.evaluate(expression) as never,
    click: async (css, host) => {
      const found = await page.waitForSelector(deep(css, host), { visible: true });
      await found?.click();
    },
    type: async (css, text, host) => {
      const found = await page.waitForSelector(deep(css, host), { visible: true });
      await found?.type(text);
    },
    screenshot: async (path) => void (await page.screenshot({ path })),
    close: () => page.close(),
  };
}

/** A buyer of a puppeteer browser: a browser context of their own. */
async function puppeteerBuyer(engine: Engine, browser: Browser): Promise<Buyer> {
  const context: BrowserContext = await browser.createBrowserContext();
  const open = async () => (await context.pages()).filter((page) => !page.isClosed());
  return {
    engine,
    open: async (url, size = DESKTOP) => {
      const page = sizedOnFirefox140(await context.newPage());
      await page.setViewport(size);
      await page.goto(url);
      return puppeteerTab(page);
    },
    popup: async (action) => puppeteerTab(await opened(open, action)),
    windows: async () => (await open()).length,
    close: () => context.close(),
  };
}

async function startPuppeteer(engine: 'chromium' | 'firefox'): Promise<BrowserDriver> {
  const browser = await puppeteer.launch(
    engine === 'chromium'
      ? { executablePath: CHROMIUM.executablePath, args: CHROMIUM.args, headless: true }
      : { ...FIREFOX, headless: true },
  );
  return { engine, buyer: () => puppeteerBuyer(engine, browser), stop: () => browser.close() };
}

type WebDriverBrowser = Awaited<ReturnType<typeof remote>>;

/** A window of a WebDriver session: each command first makes it the session's current one. */
function webDriverTab(browser: WebDriverBrowser, handle: string): Tab {
  const here = () => browser.switchToWindow(handle);
  const find = async (css: string, host?: string) => {
    const found = host ? browser.$(`#${host}`).shadow$(css) : browser.$(css);
    await found.waitForDisplayed();
    return found;
  };
  return {
    goto: async (url) => {
      await here();
      await browser.url(url);
    },
    url: async () => {
      await here();
      return browser.getUrl();
    },
    reload: async () => {
      await here();
      await browser.refresh();
    },
    back: async () => {
      await here();
      await browser.back();
    },
    eval: async (expression) => {
      await here();
      return browser.execute(`return ${expression}`) as never;
    },
    click: async (css, host) => {
      await here();
      await (await find(css, host)).click();
    },
    type: async (css, text, host) => {
      await here();
      await (await find(css, host)).addValue(text);
    },
    screenshot: async (path) => {
      await here();
      // WebKit's screenshot is its last painted frame: let it paint what the page now holds.
      await browser.executeAsync(
        'const done = arguments[arguments.length - 1]; const late = setTimeout(done, 1000); requestAnimationFrame(() => requestAnimationFrame(() => setTimeout(() => { clearTimeout(late); done(); }, 100)));',
      );
      writeFileSync(path, Buffer.from(await browser.takeScreenshot(), 'base64'));
    },
    close: async () => {
      await here();
      await browser.closeWindow();
    },
  };
}

async function startWebKit(): Promise<BrowserDriver> {
  const driver = await startWebKitDriver();
  return {
    engine: 'webkit',
    // A session of its own for each buyer: a new MiniBrowser, with empty storage.
    buyer: async () => {
      const browser = await remote({
        hostname: '127.0.0.1',
        port: driver.port,
        path: '/',
        logLevel: 'error',
        capabilities: driver.capabilities as WebdriverIO.Capabilities,
      });
      const handles = () => browser.getWindowHandles();
      return {
        engine: 'webkit',
        open: async (url, size = DESKTOP) => {
          await browser.setWindowSize(size.width, size.height);
          await browser.url(url);
          return webDriverTab(browser, await browser.getWindowHandle());
        },
        popup: async (action) => webDriverTab(browser, await opened(handles, action)),
        windows: async () => (await handles()).length,
        close: () => browser.deleteSession(),
      };
    },
    stop: async () => driver.stop(),
  };
}

/** Starts `engine`'s browser. */
export function startBrowser(engine: Engine): Promise<BrowserDriver> {
  return engine === 'webkit' ? startWebKit() : startPuppeteer(engine);
}
