/**
 * The world of one end-to-end story: the real server in sandbox mode on a loopback port,
 * with a temporary SQLite file and the production `/widget.js`, and a Chromium tab on the
 * demo shop. Everything the browser receives is recorded for the security checks.
 */

import dns from 'node:dns';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import type { Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { bindServer, buildApp } from '@igepay/server';
import { loadSandboxConfig } from '@igepay/server/sandbox';
import type { FastifyInstance } from 'fastify';
import { type Browser, type BrowserContext, chromium, type Locator, type Page } from 'playwright-core';
import { listenHttps, type TlsMaterial } from '../../../server/test/support/tls.js';
import { CHROMIUM } from '../browsers.mjs';

/** Debian's Chromium (nothing downloads a browser); `CHROME_PATH` points elsewhere. */
export function launchChromium(extraArgs: readonly string[] = []): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM.executablePath,
    args: [...CHROMIUM.args, ...extraArgs],
  });
}

/** The shop's host name in HTTPS worlds: not loopback, so Chromium judges it as a real site. */
export const SHOP_HOST = 'shop.example.com';

/**
 * Chromium for HTTPS worlds: it trusts the test certificate as it would a real one (by its
 * public key), and finds `*.example.com` on loopback.
 */
export function launchChromiumForTls(tls: TlsMaterial): Promise<Browser> {
  return launchChromium([
    `--ignore-certificate-errors-spki-list=${tls.spki}`,
    '--host-resolver-rules=MAP *.example.com 127.0.0.1',
  ]);
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
export interface World extends ServerWorld {
  readonly context: BrowserContext;
  readonly page: Page;
}

// Records the element's events in the page, from the very start.
const EVENT_RECORDER = `
window.__igepayEvents = [];
for (const type of ['igepay-order', 'igepay-paid', 'igepay-error', 'igepay-cancel']) {
  document.addEventListener(type, (event) => {
    window.__igepayEvents.push({ type, target: event.target.id, detail: event.detail });
  });
}`;

/** How a world is served. */
export interface WorldOptions {
  readonly widgetFile: string;
  /** The built dashboard, served at `/admin/` when the env sets its password. */
  readonly dashboardDir?: string;
  /** More server settings (fast simulator settings by default). */
  readonly env?: Record<string, string>;
  /** Added to the shop's address. */
  readonly query?: string;
  /**
   * Serve the shop over HTTPS at `https://shop.example.com` with this certificate (use
   * {@link launchChromiumForTls}); `gatewayOverHttp` also serves it over plain HTTP and makes
   * that the gateway's (and notify) address, as a shop whose gateway is `http://` has it.
   * What the browser receives is not recorded in these worlds.
   */
  readonly https?: { readonly tls: TlsMaterial; readonly gatewayOverHttp?: boolean };
}

let exampleComLocal = false;

/**
 * This process finds `*.example.com` on loopback, as a hosts file would: the sandbox sends
 * its notifications to the shop's name, as igepay would. Other names resolve as before.
 */
function resolveExampleComLocally(): void {
  if (exampleComLocal) return;
  exampleComLocal = true;
  const original = dns.lookup;
  const local = ((host: string, options: unknown, callback: unknown) => {
    const done = (typeof options === 'function' ? options : callback) as (...args: unknown[]) => void;
    const all = typeof options === 'object' && options !== null && (options as { all?: boolean }).all;
    if (!/\.example\.com$/i.test(host))
      return (original as (...args: unknown[]) => void)(host, options, callback);
    if (all) done(null, [{ address: '127.0.0.1', family: 4 }]);
    else done(null, '127.0.0.1', 4);
  }) as typeof dns.lookup;
  dns.lookup = local;
}

/** Binds the world's server: plain HTTP on loopback, or HTTPS (and maybe HTTP too) for a shop name. */
async function bindWorld(
  options: WorldOptions,
): Promise<{ server: Server; base: string; env: Record<string, string> }> {
  if (!options.https) {
    const { server, port } = await bindServer('127.0.0.1', 0);
    return { server, base: `http://127.0.0.1:${port}`, env: { PORT: String(port) } };
  }
  resolveExampleComLocally();
  const secure = await listenHttps(options.https.tls);
  const base = `https://${SHOP_HOST}:${secure.port}`;
  if (!options.https.gatewayOverHttp) return { server: secure.server, base, env: { PUBLIC_URL: base } };
  // The same app on a second, plain port: requests there go to the HTTPS server's handler.
  const plain = await bindServer('127.0.0.1', 0);
  plain.server.on('request', (request, response) => secure.server.emit('request', request, response));
  secure.server.on('close', () => plain.server.close());
  return {
    server: secure.server,
    base,
    env: { PUBLIC_URL: `http://${SHOP_HOST}:${plain.port}`, IGEPAY_ALLOWED_ORIGINS: base },
  };
}

/** The real server of a world, in sandbox mode: its address, and the orders it stored. */
export interface ServerWorld {
  readonly base: string;
  readonly app: FastifyInstance;
  /** The status of every order in the store. */
  orders(): Array<{ order_id: string; status: string; order_name: string | null; price_cents: number }>;
  close(): Promise<void>;
}

/**
 * Starts the real server in sandbox mode on a loopback port, with a temporary SQLite file and
 * the production `/widget.js` (see {@link WorldOptions}).
 */
export async function startServer(options: WorldOptions): Promise<ServerWorld> {
  const dir = mkdtempSync(join(tmpdir(), 'igepay-e2e-'));
  // The widget is served from the world's own folder: the run's build, as /widget.js.
  mkdirSync(join(dir, 'widget'));
  const widgetFile = join(dir, 'widget', 'widget.js');
  for (const suffix of ['', '.gz', '.br'])
    copyFileSync(`${options.widgetFile}${suffix}`, `${widgetFile}${suffix}`);

  const { server, base, env } = await bindWorld(options);
  const dbPath = join(dir, 'data', 'igepay.db');
  const config = loadSandboxConfig({
    ...env,
    DATABASE_URL: `sqlite:${dbPath}`,
    IGEPAY_RATE_LIMIT: '0',
    IGEPAY_SANDBOX_RETRY_SECONDS: '0.1,0.1,0.1',
    IGEPAY_SANDBOX_DELAY_SECONDS: '0.5',
    IGEPAY_SANDBOX_RETURN_SECONDS: '1',
    ...options.env,
  });
  const app = await buildApp({
    config,
    server,
    widgetFile,
    logger: false,
    expirySweepMs: 200,
    ...(options.dashboardDir && { dashboardDir: options.dashboardDir }),
  });
  await app.ready();
  const { token } = JSON.parse(readFileSync(join(dir, 'data', 'sandbox-merchant.json'), 'utf8')) as {
    token: string;
  };
  recorded.tokens.push(token);
  return {
    base,
    app,
    orders: () => {
      const db = new DatabaseSync(dbPath, { readOnly: true });
      try {
        return db
          .prepare('SELECT order_id, status, order_name, price_cents FROM orders ORDER BY created_at')
          .all() as never;
      } finally {
        db.close();
      }
    },
    close: async () => {
      await app.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Starts a world (see {@link WorldOptions}): its server, and a Chromium tab on its shop. */
export async function startWorld(browser: Browser, options: WorldOptions): Promise<World> {
  const served = await startServer(options);
  const { base } = served;
  const context = await browser.newContext({ locale: 'zh-CN', viewport: { width: 1100, height: 900 } });
  await context.addInitScript(EVENT_RECORDER);
  // Every exchange goes through here, so each body is kept even when the page navigates away
  // before it could be read.
  if (!options.https)
    await context.route('**/*', async (route) => {
      const request = route.request();
      if (
        request.method() === 'POST' &&
        new URL(request.url()).pathname.endsWith('/sandbox/Home/Pay/payFor')
      ) {
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
    app: served.app,
    context,
    page,
    orders: served.orders,
    close: async () => {
      // Long polls are still held when a story ends: let their routes go quietly.
      await context.unrouteAll({ behavior: 'ignoreErrors' });
      await context.close();
      await served.close();
    },
  };
}

/** The element's events so far, in the page. */
export function eventsIn(
  page: Page,
): Promise<Array<{ type: string; target: string; detail: Record<string, unknown> }>> {
  return page.evaluate(() => (globalThis as unknown as { __igepayEvents: never }).__igepayEvents);
}

/** Clicks pay on the element and answers the payment window it opens. */
export async function payInPopup(page: Page, id: string, price: string): Promise<Page> {
  const opened = page.waitForEvent('popup');
  await page
    .locator(`#${id}`)
    .getByRole('button', { name: `支付 ¥${price}` })
    .click();
  const popup = await opened;
  await popup.waitForURL(/\/sandbox\/pay\/\d{20}/);
  return popup;
}

/** The status line of the element with this id. */
export function status(page: Page, id: string): Locator {
  return page.locator(`#${id}`).locator('[part~="status"]');
}
