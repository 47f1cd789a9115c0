/**
 * The world of one end-to-end story: the real server in sandbox mode on a loopback port,
 * with a temporary SQLite file and the production `/widget.js`, and a Chromium tab on the
 * demo shop. Everything the browser receives is recorded for the security checks.
 */
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bindServer, buildApp } from '@igepay/server';
import { loadSandboxConfig } from '@igepay/server/sandbox';
import BetterSqlite3 from 'better-sqlite3';
import type { FastifyInstance } from 'fastify';
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core';

/**
 * How every browser test starts Chromium (these tests and the widget's): Debian's build, run
 * as root, with the background traffic a closed network refuses turned off.
 */
const CHROMIUM = JSON.parse(readFileSync(join(import.meta.dirname, '..', '..', 'chromium.json'), 'utf8')) as {
  executablePath: string;
  args: string[];
};

/** Debian's Chromium (nothing downloads a browser); `CHROME_PATH` points elsewhere. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROME_PATH ?? CHROMIUM.executablePath,
    args: CHROMIUM.args,
  });
}

/** Something the browser received. */
export interface Received {
  readonly url: string;
  readonly headers: string;
  readonly body: string;
}

/** Everything every browser of the suite received, and every form it posted to the gateway. */
export const recorded = {
  received: [] as Received[],
  /** Form posts to the gateway: the `key` the page sent. */
  gatewayKeys: [] as string[],
  /** The keys the server signed, from its checkout replies. */
  serverKeys: new Set<string>(),
  /** The sandbox tokens of every world (none may ever reach the browser). */
  tokens: [] as string[],
};

/** One story's server, database and browser tab. */
export interface World {
  readonly base: string;
  readonly app: FastifyInstance;
  readonly context: BrowserContext;
  readonly page: Page;
  /** The status of every order in the store. */
  orders(): Array<{ order_id: string; status: string; order_name: string | null; price_cents: number }>;
  close(): Promise<void>;
}

// Records the element's events in the page, from the very start.
const EVENT_RECORDER = `
window.__igepayEvents = [];
for (const type of ['igepay-order', 'igepay-paid', 'igepay-error', 'igepay-cancel']) {
  document.addEventListener(type, (event) => {
    window.__igepayEvents.push({ type, target: event.target.id, detail: event.detail });
  });
}`;

/** Starts a world: `env` adds server settings (fast simulator settings by default). */
export async function startWorld(
  browser: Browser,
  options: { widgetFile: string; env?: Record<string, string>; query?: string },
): Promise<World> {
  const dir = mkdtempSync(join(tmpdir(), 'igepay-e2e-'));
  // The widget is served from the world's own folder: the run's build, as /widget.js.
  mkdirSync(join(dir, 'widget'));
  const widgetFile = join(dir, 'widget', 'widget.js');
  for (const suffix of ['', '.gz', '.br'])
    copyFileSync(`${options.widgetFile}${suffix}`, `${widgetFile}${suffix}`);

  const { server, port } = await bindServer('127.0.0.1', 0);
  const base = `http://127.0.0.1:${port}`;
  const dbPath = join(dir, 'data', 'igepay.db');
  const config = loadSandboxConfig({
    PORT: String(port),
    DATABASE_URL: `sqlite:${dbPath}`,
    IGEPAY_RATE_LIMIT: '0',
    IGEPAY_SANDBOX_RETRY_SECONDS: '0.1,0.1,0.1',
    IGEPAY_SANDBOX_DELAY_SECONDS: '0.5',
    IGEPAY_SANDBOX_RETURN_SECONDS: '1',
    ...options.env,
  });
  const app = await buildApp({ config, server, widgetFile, logger: false, expirySweepMs: 200 });
  await app.ready();
  const { token } = JSON.parse(readFileSync(join(dir, 'data', 'sandbox-merchant.json'), 'utf8')) as {
    token: string;
  };
  recorded.tokens.push(token);

  const context = await browser.newContext({ locale: 'zh-CN', viewport: { width: 1100, height: 900 } });
  await context.addInitScript(EVENT_RECORDER);
  // Every exchange goes through here, so each body is kept even when the page navigates away
  // before it could be read.
  await context.route('**/*', async (route) => {
    const request = route.request();
    if (request.method() === 'POST' && request.url().endsWith('/sandbox/Home/Pay/payFor')) {
      recorded.gatewayKeys.push(new URLSearchParams(request.postData() ?? '').get('key') ?? '(none)');
    }
    const response = await route.fetch({ maxRedirects: 0 });
    const body = await response.body();
    const text = body.toString('utf8');
    recorded.received.push({ url: request.url(), headers: JSON.stringify(response.headers()), body: text });
    if (request.url().endsWith('/api/checkout') && response.status() === 201) {
      const reply = JSON.parse(text) as { gateway: { fields: { key: string } } };
      recorded.serverKeys.add(reply.gateway.fields.key);
    }
    await route.fulfill({ response, body });
  });
  const page = await context.newPage();
  await page.goto(`${base}/${options.query ?? ''}`);
  await page.locator('igepay-button >> [part~="button"]').first().waitFor();

  return {
    base,
    app,
    context,
    page,
    orders: () => {
      const db = new BetterSqlite3(dbPath, { readonly: true });
      try {
        return db
          .prepare('SELECT order_id, status, order_name, price_cents FROM orders ORDER BY created_at')
          .all() as never;
      } finally {
        db.close();
      }
    },
    close: async () => {
      // Long polls are still held when a story ends: let their routes go quietly.
      await context.unrouteAll({ behavior: 'ignoreErrors' });
      await context.close();
      await app.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** The element's events so far, in the page. */
export function eventsIn(
  page: Page,
): Promise<Array<{ type: string; target: string; detail: Record<string, unknown> }>> {
  return page.evaluate(() => (globalThis as unknown as { __igepayEvents: never }).__igepayEvents);
}
