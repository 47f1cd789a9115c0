/**
 * The purchase stories, as buyers have them, in the three engines: Chromium, Firefox ESR and
 * WebKitGTK (the nearest thing to Safari here), each a stock browser driven as a person would
 * (see buyers.ts), against the real server in sandbox mode. What needs request interception
 * (every byte the browser received), media emulation or layout-shift timing stays in the
 * Chromium stories of purchase.test.ts.
 */

import { mkdirSync, readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, inject, it } from 'vitest';
import { enginesToTest } from '../browsers.mjs';
import { type BrowserDriver, type Buyer, type Size, startBrowser, type Tab, until } from './buyers.js';
import { type ServerWorld, startServer } from './world.js';

const PHONE: Size = { width: 390, height: 844 };

/**
 * A screenshot of `tab` for a person to look at, in `.artifacts/e2e/<engine>/`, named for the
 * story's step.
 */
async function shoot(tab: Tab, engine: string, name: string): Promise<void> {
  const folder = join(import.meta.dirname, '..', '..', '..', '.artifacts', 'e2e', engine);
  mkdirSync(folder, { recursive: true });
  await tab.screenshot(join(folder, `${name}.png`));
}

/** An expression for the part `name` of the element with id `id`. */
const part = (id: string, name: string) =>
  `document.getElementById(${JSON.stringify(id)}).shadowRoot.querySelector('[part~="${name}"]')`;

/** The trimmed text of a part, or null. */
const textOf = (tab: Tab, id: string, name: string) =>
  tab.eval<string | null>(`${part(id, name)}?.textContent.trim() ?? null`);

/** Waits until the element's status line reads `text` (or starts with it). */
function statusSays(tab: Tab, id: string, text: string, how: 'is' | 'starts' = 'is', ms?: number) {
  const said = `${part(id, 'status')}?.textContent.trim()`;
  return until(
    tab,
    how === 'is' ? `${said} === ${JSON.stringify(text)}` : `${said}?.startsWith(${JSON.stringify(text)})`,
    ms,
  );
}

/** The demo shop's event log: the element's events, oldest first. */
async function eventsIn(tab: Tab): Promise<string[]> {
  const lines = await tab.eval<string[]>(
    `[...document.querySelectorAll('#events li')].map((item) => item.textContent.split(' ')[0])`,
  );
  return lines.reverse();
}

/** Waits for the simulated cashier to show its payment in `cashier`. */
const cashierShown = (cashier: Tab) =>
  until(cashier, `location.pathname.includes('/sandbox/pay/') && document.querySelector('.amount') !== null`);

/** Waits until the buyer has `count` windows open. */
async function windowsAre(buyer: Buyer, count: number, ms = 15_000): Promise<void> {
  const deadline = Date.now() + ms;
  while ((await buyer.windows()) !== count) {
    if (Date.now() > deadline) throw new Error(`${await buyer.windows()} windows open, not ${count}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

for (const engine of enginesToTest()) {
  describe(`a buyer in ${engine}`, () => {
    let browser: BrowserDriver;
    let world: ServerWorld | undefined;
    let buyer: Buyer | undefined;
    beforeAll(async () => {
      browser = await startBrowser(engine);
    }, 60_000);
    afterAll(async () => {
      await browser.stop();
    });
    afterEach(async () => {
      await buyer?.close();
      await world?.close();
      buyer = undefined;
      world = undefined;
    });

    async function open(env: Record<string, string> = {}): Promise<{ world: ServerWorld; buyer: Buyer }> {
      world = await startServer({ widgetFile: inject('widgetFile'), env });
      buyer = await browser.buyer();
      return { world, buyer };
    }

    it('pays in a popup: one window, no opener in the cashier, none left over; paid once', async () => {
      const { world, buyer } = await open();
      const shop = await buyer.open(`${world.base}/?lang=zh-CN`);
      await until(shop, `${part('buy-coffee-beans', 'price')}?.textContent === '¥68.00'`);
      await shop.click('[part~="channel-alipay"]', 'buy-coffee-beans');
      const cashier = await buyer.popup(() => shop.click('[part~="button"]', 'buy-coffee-beans'));
      await cashierShown(cashier);
      // The form was posted from inside the window: no engine had to find it by its name.
      expect(await cashier.eval('document.querySelector(".card").dataset.channel')).toBe('alipay');
      expect(await cashier.eval('document.querySelector(".amount").textContent')).toBe('¥68.00');
      // The cashier cannot reach back into the shop (reverse tabnabbing).
      expect(await cashier.eval('window.opener')).toBe(null);
      expect(await buyer.windows()).toBe(2);
      await statusSays(shop, 'buy-coffee-beans', '请在新窗口中完成支付，此处会自动更新。');
      await shoot(shop, engine, 'popup-1-waiting');
      await shoot(cashier, engine, 'popup-2-cashier');

      await cashier.click('button.pay');
      await statusSays(shop, 'buy-coffee-beans', '✓ 支付成功 ¥68.00');
      expect(await textOf(shop, 'buy-coffee-beans', 'receipt')).toContain('云南咖啡豆 250g');
      await shoot(shop, engine, 'popup-3-paid');
      // The window goes on to the return page, which closes it: only the shop is left.
      await windowsAre(buyer, 1);
      expect(await eventsIn(shop)).toEqual(['igepay-order', 'igepay-paid']);
      expect(world.orders()).toEqual([expect.objectContaining({ status: 'paid', price_cents: 6800 })]);
    });

    it('pays by redirect on a phone: back on the shop, the receipt is in view', async () => {
      const { world, buyer } = await open();
      const shop = await buyer.open(`${world.base}/?lang=zh-CN&mode=redirect`, PHONE);
      await until(shop, `${part('donate', 'amount-input')} !== null`);
      // Nothing sticks out sideways on a phone (MiniBrowser's window is a little wider than asked).
      const width = await shop.eval<number>('innerWidth');
      expect(width).toBeLessThan(460);
      expect(await shop.eval('document.documentElement.scrollWidth')).toBeLessThanOrEqual(width);
      await shop.type('[part~="amount-input"]', '8.8', 'donate');
      await shop.click('[part~="button"]', 'donate');
      await cashierShown(shop);
      expect(await shop.eval('document.querySelector(".item").textContent')).toBe('赞助 igepay 演示');
      expect(await shop.eval('document.querySelector(".amount").textContent')).toBe('¥8.80');
      await shop.click('button.pay');

      // Back through return_url to the shop, where the element resumes its order.
      await until(shop, `location.pathname === '/' && ${part('donate', 'receipt')} !== null`, 20_000);
      await statusSays(shop, 'donate', '✓ 支付成功 ¥8.80');
      await shoot(shop, engine, 'redirect-phone-paid');
      await until(
        shop,
        `(() => { const box = document.getElementById('donate').getBoundingClientRect(); return box.top < innerHeight && box.bottom > 0; })()`,
      );
      expect(await eventsIn(shop)).toEqual(['igepay-paid']);
      expect(world.orders()).toEqual([
        expect.objectContaining({ status: 'paid', order_name: '赞助 igepay 演示', price_cents: 880 }),
      ]);
      // A reload after paying still shows the receipt.
      await shop.reload();
      await statusSays(shop, 'donate', '✓ 支付成功 ¥8.80');
    });

    it('reloads during a popup payment: the page follows the same order, paid in the window still open', async () => {
      const { world, buyer } = await open();
      const shop = await buyer.open(`${world.base}/?lang=zh-CN`);
      const cashier = await buyer.popup(() => shop.click('[part~="button"]', 'buy-vip-month'));
      await cashierShown(cashier);
      await shop.reload();
      await statusSays(shop, 'buy-vip-month', '¥30.00（微信支付）待支付。如已付款，结果会显示在这里。');
      expect(await textOf(shop, 'buy-vip-month', 'button')).toBe('继续支付 ¥30.00');
      await cashier.click('button.pay');
      await statusSays(shop, 'buy-vip-month', '✓ 支付成功 ¥30.00');
      expect(world.orders().map((order) => order.status)).toEqual(['paid']);
      expect((await eventsIn(shop)).filter((type) => type === 'igepay-paid')).toHaveLength(1);
    });

    it('comes back from the cashier unpaid by the back button: continues the same payment, or starts over', async () => {
      const { world, buyer } = await open();
      const shop = await buyer.open(`${world.base}/?mode=redirect&lang=en`);
      await until(shop, `${part('buy-coffee-beans', 'price')}?.textContent === '¥68.00'`);
      await shop.click('[part~="button"]', 'buy-coffee-beans');
      await cashierShown(shop);
      const payPage = await shop.url();
      await shop.back();
      // Not sent back by igepay: nothing to confirm, the buyer may go on.
      await statusSays(
        shop,
        'buy-coffee-beans',
        '¥68.00 by WeChat Pay is not paid yet. If you paid, it will show here.',
      );
      await shoot(shop, engine, 'back-unpaid');
      await shop.click('[part~="button"]', 'buy-coffee-beans');
      await cashierShown(shop);
      expect(await shop.url()).toBe(payPage);
      await shop.back();
      await until(shop, `${part('buy-coffee-beans', 'start-over')} !== null`);
      await shop.click('[part~="start-over"]', 'buy-coffee-beans');
      await until(shop, `${part('buy-coffee-beans', 'button')}?.textContent.trim() === 'Pay ¥68.00'`);
      expect(world.orders()).toHaveLength(1);
    });

    it('cancels in the cashier, closes it, and pays with the other method: one new order', async () => {
      const { world, buyer } = await open();
      const shop = await buyer.open(`${world.base}/?lang=zh-CN`);
      const first = await buyer.popup(() => shop.click('[part~="button"]', 'buy-vip-month'));
      await cashierShown(first);
      await first.click('button.cancel');
      await until(first, `document.querySelector('.result')?.textContent === '已取消支付'`);
      // The cashier says to close the window and order again: the buyer does.
      await first.close();
      await statusSays(shop, 'buy-vip-month', '支付窗口已关闭，未付款。如已付款，结果会显示在这里。');
      await shoot(shop, engine, 'cancelled');
      // A fresh start: the methods are free and the pay button makes a new order.
      expect(await textOf(shop, 'buy-vip-month', 'button')).toBe('支付 ¥30.00');
      await shop.click('[part~="channel-alipay"]', 'buy-vip-month');
      const second = await buyer.popup(() => shop.click('[part~="button"]', 'buy-vip-month'));
      await cashierShown(second);
      expect(await second.eval('document.querySelector(".card").dataset.channel')).toBe('alipay');
      expect(await buyer.windows()).toBe(2);
      await second.click('button.pay');
      await statusSays(shop, 'buy-vip-month', '✓ 支付成功 ¥30.00');
      expect(world.orders().map((order) => order.status)).toEqual(['pending', 'paid']);
      expect(await eventsIn(shop)).toEqual(['igepay-order', 'igepay-cancel', 'igepay-order', 'igepay-paid']);
    });

    it('pays after the order expired (a code scanned at the last moment): shown paid, also after a reload', async () => {
      const { world, buyer } = await open({ IGEPAY_ORDER_TTL_MINUTES: '0.05' });
      const shop = await buyer.open(`${world.base}/?lang=zh-CN`);
      const cashier = await buyer.popup(() => shop.click('[part~="button"]', 'buy-sticker-pack'));
      await cashierShown(cashier);
      await statusSays(
        shop,
        'buy-sticker-pack',
        '订单已过期，未支付。如已付款，结果会显示在这里。',
        'is',
        20_000,
      );
      await shoot(shop, engine, 'expired-listening');
      // igepay's page still takes the payment; the server records it, late.
      await cashier.click('button.pay');
      await statusSays(shop, 'buy-sticker-pack', '✓ 支付成功 ¥9.90');
      expect(world.orders().map((order) => order.status)).toEqual(['paid']);
      await shop.reload();
      await statusSays(shop, 'buy-sticker-pack', '✓ 支付成功 ¥9.90');
    });

    describe('a page whose element cannot take a payment', () => {
      let pages: Server;
      let origin = '';
      beforeAll(async () => {
        const widget = readFileSync(inject('widgetFile'));
        pages = createServer((request, response) => {
          // From npm, the element is bundled into the app: its server is the page's own.
          if (request.url === '/widget.js') {
            response.writeHead(200, { 'content-type': 'text/javascript' });
            return response.end(widget);
          }
          const base = new URL(request.url ?? '/', 'http://x').searchParams.get('server') ?? '';
          response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
          response.end(`<!doctype html><html lang="zh-CN"><meta charset="utf-8">
<script>window.warnings = []; const warn = console.warn; console.warn = (...args) => { warnings.push(args.join(' ')); warn(...args); };</script>
<script type="module" src="${base ? `${base}/widget.js` : '/widget.js'}"></script>
<body>${
            base
              ? `<igepay-button id="unknown" product="vip" server="${base}"></igepay-button>
<igepay-button id="too-much" price="99999" server="${base}"></igepay-button>
<igepay-button id="fine" product="coffee-beans" server="${base}"></igepay-button>`
              : '<igepay-button id="npm" product="coffee-beans"></igepay-button>'
          }</body></html>`);
        });
        await new Promise<void>((resolve) => pages.listen(0, '127.0.0.1', resolve));
        origin = `http://127.0.0.1:${(pages.address() as AddressInfo).port}`;
      });
      afterAll(() => new Promise<void>((resolve) => pages.close(() => resolve())));

      /** The element shows itself disabled, saying `line`. */
      async function refuses(tab: Tab, id: string, line: string): Promise<void> {
        await statusSays(tab, id, line);
        expect(await tab.eval(`${part(id, 'button')}.disabled`)).toBe(true);
      }

      it('renders disabled, says so, and names the fix in the console, before any click', async () => {
        const { world, buyer } = await open({ IGEPAY_ALLOWED_ORIGINS: origin });
        const page = await buyer.open(`${origin}/?server=${encodeURIComponent(world.base)}`);
        await refuses(page, 'unknown', '暂时无法购买，请稍后再试或联系商家。');
        await refuses(page, 'too-much', '暂时无法购买，请稍后再试或联系商家。');
        await until(page, `${part('fine', 'button')}?.textContent.trim() === '支付 ¥68.00'`);
        await shoot(page, engine, 'misconfigured');
        expect(await page.eval(`${part('fine', 'button')}.disabled`)).toBe(false);
        const warnings = await page.eval<string[]>('warnings');
        expect(warnings).toContain(
          `<igepay-button>: ${world.base}: product="vip" is not in the catalog. The catalog (IGEPAY_PRODUCTS) has: vip-month, coffee-beans, sticker-pack.`,
        );
        expect(warnings.join('\n')).toContain('price="99999" is not an amount this server takes');

        // The same page on an origin the server does not allow.
        const elsewhere = origin.replace('127.0.0.1', 'localhost');
        const refused = await buyer.open(`${elsewhere}/?server=${encodeURIComponent(world.base)}`);
        await refuses(refused, 'fine', '暂时无法购买，请稍后再试或联系商家。');
        expect(await refused.eval<string[]>('warnings')).toContain(
          `<igepay-button>: ${world.base}: IGEPAY_ALLOWED_ORIGINS does not include ${elsewhere}: pages there cannot make checkouts.`,
        );

        // From npm without a server attribute: the app's own server answers no igepay settings.
        const npm = await buyer.open(`${origin}/`);
        await refuses(npm, 'npm', '无法连接支付服务，请检查网络。');
        expect(await npm.eval<string[]>('warnings')).toContain(
          `<igepay-button>: no igepay server answers at ${origin}/api/config: is it running, and is the server attribute its address?`,
        );
        expect(world.orders()).toEqual([]);
      });
    });
  });
}
