/**
 * An HTTPS shop, as merchants run one: the demo shop, the signing server and the sandbox
 * gateway at https://shop.example.com, with a certificate Chromium trusts as a real one, and
 * a buyer paying in both modes. The last story is the reason for the first two: an HTTPS shop
 * whose gateway address is http:// stops the buyer on Chromium's "not secure" page.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, inject, it } from 'vitest';
import {
  eventsIn,
  launchChromiumForTls,
  payInPopup,
  SHOP_HOST,
  startWorld,
  status,
  type World,
} from './world.js';

const tls = inject('tls');
let browser: Browser;
let world: World | undefined;
beforeAll(async () => {
  browser = await launchChromiumForTls(tls);
});
afterAll(async () => {
  await browser?.close();
});
afterEach(async () => {
  await world?.close();
  world = undefined;
});

// Chromium's page for a form posted from https:// to http://.
const INTERSTITIAL = /information you.re about to submit is not secure/i;

/** The page is an ordinary https page of the shop: secure, and no warning in its place. */
async function expectSecureShopPage(page: Page, path: RegExp): Promise<void> {
  const url = new URL(page.url());
  expect(url.protocol).toBe('https:');
  expect(url.hostname).toBe(SHOP_HOST);
  expect(url.pathname).toMatch(path);
  expect(await page.evaluate(() => (globalThis as { isSecureContext?: boolean }).isSecureContext)).toBe(true);
  expect(await page.locator('body').textContent()).not.toMatch(INTERSTITIAL);
}

describe('an HTTPS shop', () => {
  it('popup mode: the buyer reaches the https gateway and pays, with no "not secure" page', async () => {
    world = await startWorld(browser, { widgetFile: inject('widgetFile'), https: { tls } });
    const { page, orders } = world;
    await expectSecureShopPage(page, /^\/$/);
    const cashier = await payInPopup(page, 'buy-coffee-beans', '68.00');
    await expectSecureShopPage(cashier, /^\/sandbox\/pay\/\d{20}$/);
    await cashier.getByRole('button', { name: '模拟支付成功' }).click();
    await status(page, 'buy-coffee-beans').getByText('✓ 支付成功 ¥68.00').waitFor();
    expect((await eventsIn(page)).filter((event) => event.type === 'igepay-paid')).toHaveLength(1);
    expect(orders()).toEqual([expect.objectContaining({ status: 'paid', price_cents: 6800 })]);
  });

  it('redirect mode: to the https gateway and back to the shop, paid, with no "not secure" page', async () => {
    world = await startWorld(browser, {
      widgetFile: inject('widgetFile'),
      https: { tls },
      query: '?mode=redirect',
    });
    const { page, orders } = world;
    const donate = page.locator('#donate');
    await donate.getByRole('textbox').fill('0.01');
    await donate.getByRole('button', { name: '支付 ¥0.01' }).click();
    await page.waitForURL(/\/sandbox\/pay\/\d{20}/);
    await expectSecureShopPage(page, /^\/sandbox\/pay\/\d{20}$/);
    await page.getByRole('button', { name: '模拟支付成功' }).click();
    await page.waitForURL((url) => url.pathname === '/' && url.search === '?mode=redirect');
    await status(page, 'donate').getByText('✓ 支付成功 ¥0.01').waitFor();
    await expectSecureShopPage(page, /^\/$/);
    expect(orders()).toEqual([expect.objectContaining({ status: 'paid', price_cents: 1 })]);
  });

  it('with an http:// gateway address, Chromium never lets the buyer reach the gateway (why it must be https)', async () => {
    world = await startWorld(browser, {
      widgetFile: inject('widgetFile'),
      https: { tls, gatewayOverHttp: true },
      query: '?mode=redirect',
    });
    const { page, orders, app } = world;
    await expectSecureShopPage(page, /^\/$/);
    // No wait for a navigation: Chromium holds it, which is the point.
    await page
      .locator('#buy-coffee-beans')
      .getByRole('button', { name: '支付 ¥68.00' })
      .click({ noWaitAfter: true });
    await expect.poll(() => orders().length).toBe(1);
    // Over https the cashier opens within a second (above); here, nothing reaches it in three.
    await page.waitForTimeout(3_000);
    const inspection = await app.inject({
      method: 'GET',
      url: '/sandbox/inspect',
      headers: { accept: 'application/json' },
    });
    expect(inspection.json<{ payments: unknown[] }>().payments).toEqual([]);
    expect(new URL(page.url()).pathname).not.toMatch(/^\/sandbox\/pay\//);
    expect(orders()).toEqual([expect.objectContaining({ status: 'pending' })]);
  });
});
