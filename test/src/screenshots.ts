/**
 * `corepack pnpm screenshots`: the README's pictures of the widget and the sandbox, taken by
 * Debian's headless Chromium against the real server in sandbox mode. Writes `docs/*.png`.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bindServer, buildApp, loadConfig } from '@igepay/server';
import { type BrowserContextOptions, chromium, type Page } from 'playwright-core';

const DOCS = join(import.meta.dirname, '..', '..', 'docs');
const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-dev-shm-usage',
  '--disable-background-networking',
  '--disable-component-update',
  '--no-first-run',
];

const dir = mkdtempSync(join(tmpdir(), 'igepay-shots-'));
const { server, port } = await bindServer('127.0.0.1', 0);
const base = `http://127.0.0.1:${port}`;
const config = loadConfig({
  IGEPAY_SANDBOX: '1',
  PORT: String(port),
  DATABASE_URL: `sqlite:${join(dir, 'igepay.db')}`,
  IGEPAY_SANDBOX_RETURN_SECONDS: '1',
});
const app = await buildApp({ config, server, logger: false });
await app.ready();
const browser = await chromium.launch({
  executablePath: process.env.CHROME_PATH ?? '/usr/bin/chromium',
  args: CHROMIUM_ARGS,
});

async function shop(options: BrowserContextOptions, query = ''): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1100, height: 900 }, ...options });
  const page = await context.newPage();
  await page.goto(`${base}/${query}`);
  await page.locator('igepay-button >> [part~="price"]').first().waitFor();
  return page;
}

const card = (page: Page, id: string) => page.locator('section.card').filter({ has: page.locator(`#${id}`) });

try {
  const page = await shop({ locale: 'zh-CN' });
  await page.locator('.grid').screenshot({ path: join(DOCS, 'widget-shop.png') });

  const donation = card(page, 'donate');
  await page.locator('#donate').getByRole('textbox').fill('99999');
  await page.locator('#donate').getByRole('button', { name: /^支付/ }).click();
  await donation.screenshot({ path: join(DOCS, 'widget-amount-error.png') });

  const coffee = card(page, 'buy-coffee-beans');
  await page.locator('#buy-coffee-beans').getByText('支付宝').click();
  const opened = page.context().waitForEvent('page');
  await page
    .locator('#buy-coffee-beans')
    .getByRole('button', { name: /支付 ¥68.00/ })
    .click();
  const popup = await opened;
  await popup.setViewportSize({ width: 420, height: 860 });
  await popup.waitForURL(/\/sandbox\/pay\//);
  await coffee.screenshot({ path: join(DOCS, 'widget-waiting.png') });
  await popup.screenshot({ path: join(DOCS, 'sandbox-cashier.png') });
  await popup.getByRole('button', { name: '模拟支付成功' }).click();
  await page
    .locator('#buy-coffee-beans')
    .getByText(/支付成功/)
    .waitFor();
  await coffee.screenshot({ path: join(DOCS, 'widget-paid.png') });

  const dark = await shop({ locale: 'en-US', colorScheme: 'dark' }, '?lang=en');
  await card(dark, 'buy-vip-month').screenshot({ path: join(DOCS, 'widget-dark.png') });

  const phone = await shop({
    locale: 'zh-CN',
    viewport: { width: 390, height: 844 },
    isMobile: true,
    hasTouch: true,
  });
  await phone.screenshot({ path: join(DOCS, 'widget-phone.png') });
  process.stdout.write(`screenshots written to ${DOCS}\n`);
} finally {
  await browser.close();
  await app.close();
  rmSync(dir, { recursive: true, force: true });
}
