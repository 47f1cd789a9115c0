/**
 * `@igepay/widget/react` in a server-rendered React 19 page that the browser hydrates, as
 * Next.js serves one: the page's handlers get the element's events through the wrapper's props
 * (React's own `onigepay-paid` is never attached to a hydrated element, facebook/react#35446).
 * The page (test/fixtures/react-ssr) is rendered here with react-dom/server and its client
 * bundle is built with Vite; a buyer pays in the sandbox cashier in each engine.
 */

import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { createElement, type FunctionComponent } from 'react';
import { renderToString } from 'react-dom/server';
import { build, defaultClientConditions } from 'vite';
import { afterAll, afterEach, beforeAll, describe, expect, inject, it } from 'vitest';
import { enginesToTest } from '../browsers.mjs';
import { type BrowserDriver, type Buyer, startBrowser, until } from './buyers.js';
import { type ServerWorld, startServer } from './world.js';

const FIXTURE = join(import.meta.dirname, '..', '..', 'fixtures', 'react-ssr');
const TSC = join(import.meta.dirname, '..', '..', 'node_modules', 'typescript', 'bin', 'tsc');

let App: FunctionComponent<{ server: string }>;
let client = '';
let page: Server;
let pageOrigin = '';
let world: ServerWorld;

/** The page as the shop's server sends it: the app rendered to HTML, then its script. */
function html(): string {
  const props = { server: world.base };
  return `<!doctype html>
<html lang="zh-CN">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width"><title>React shop</title></head>
<body><div id="root">${renderToString(createElement(App, props))}</div>
<script>window.__APP__ = ${JSON.stringify(props)};</script>
<script type="module" src="/client.js"></script>
</body>
</html>`;
}

beforeAll(async () => {
  // A TSX module, transformed by Vitest as the app's own server would; typed by the fixture.
  ({ App } = (await import(join(FIXTURE, 'App.tsx'))) as { App: typeof App });
  const out = mkdtempSync(join(FIXTURE, '.build-'));
  try {
    await build({
      configFile: false,
      root: FIXTURE,
      logLevel: 'warn',
      resolve: { conditions: ['@igepay/source', ...defaultClientConditions] },
      build: {
        outDir: out,
        modulePreload: false,
        rolldownOptions: {
          input: join(FIXTURE, 'client.tsx'),
          output: { entryFileNames: 'client.js' },
          // Kept for the frameworks that read it (Next.js); this page has no server components.
          onLog: (level, log, handle) => log.code !== 'MODULE_LEVEL_DIRECTIVE' && handle(level, log),
        },
      },
    });
    client = readFileSync(join(out, 'client.js'), 'utf8');
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
  page = createServer((request, response) => {
    if (request.url === '/client.js') {
      response.writeHead(200, { 'content-type': 'text/javascript' }).end(client);
    } else if (request.url === '/') {
      response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(html());
    } else response.writeHead(404).end();
  });
  await new Promise<void>((resolve) => page.listen(0, '127.0.0.1', resolve));
  pageOrigin = `http://127.0.0.1:${(page.address() as AddressInfo).port}`;
  world = await startServer({
    widgetFile: inject('widgetFile'),
    env: { IGEPAY_ALLOWED_ORIGINS: pageOrigin },
  });
}, 120_000);

afterAll(async () => {
  await world?.close();
  await new Promise((resolve) => page?.close(resolve));
});

describe('a server-rendered React page with <IgepayButton>', () => {
  it("renders the element's attributes on the server, by the element's own names", () => {
    const rendered = renderToString(createElement(App, { server: 'https://pay.example.com' }));
    expect(rendered).toMatch(
      /<igepay-button id="buy" server="https:\/\/pay\.example\.com" product="coffee-beans" channels="wechat alipay" order-uid="buyer-42"><\/igepay-button>/,
    );
  });

  it('is typed: the event props carry their events, and wrong ones do not compile', async () => {
    const run = promisify(execFile);
    const checked = await run(process.execPath, [TSC, '--noEmit', '-p', join(FIXTURE, 'tsconfig.json')]).then(
      () => '',
      (error: { stdout: string }) => error.stdout,
    );
    expect(checked).toBe('');
  }, 120_000);
});

for (const engine of enginesToTest()) {
  describe(`a buyer in ${engine} on the hydrated page`, () => {
    let browser: BrowserDriver;
    let buyer: Buyer | undefined;
    beforeAll(async () => {
      browser = await startBrowser(engine);
    }, 60_000);
    afterAll(async () => {
      await browser.stop();
    });
    afterEach(async () => {
      await buyer?.close();
      buyer = undefined;
    });

    it("pays, and the page's onIgepayOrder and onIgepayPaid handlers run", async () => {
      buyer = await browser.buyer();
      const shop = await buyer.open(`${pageOrigin}/`);
      const button = `document.getElementById('buy').shadowRoot.querySelector('[part~="button"]')`;
      await until(shop, `document.querySelector('main').dataset.hydrated === 'yes'`);
      await until(shop, `${button}?.textContent.trim() === '支付 ¥68.00'`);
      const cashier = await buyer.popup(() => shop.click('[part~="button"]', 'buy'));
      await until(
        cashier,
        `location.pathname.includes('/sandbox/pay/') && document.querySelector('.amount') !== null`,
      );
      const ordered = await until<string>(shop, `document.getElementById('ordered').textContent || null`);
      expect(world.orders().map((order) => order.order_id)).toContain(ordered);
      await cashier.click('button.pay');
      const paid = await until<string>(shop, `document.getElementById('paid').textContent || null`, 20_000);
      expect(paid).toBe(`${ordered} 68.00 wechat`);
      const folder = join(import.meta.dirname, '..', '..', '..', '.artifacts', 'e2e', engine);
      mkdirSync(folder, { recursive: true });
      await shop.screenshot(join(folder, 'react-paid.png'));
      expect(world.orders().find((order) => order.order_id === ordered)?.status).toBe('paid');
    });
  });
}
