/**
 * The merchant's dashboard in real Chromium, against a sandbox purchase: sign in, the overview
 * and its chart, search, one order's timeline, redelivery to the shop's app on loopback, a
 * reconciliation item resolved with a note and found in the audit, sign-out, and a wrong
 * password refused and rate limited. Every page is checked against its CSP and with axe.
 */
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { hashPassword } from '@igepay/server';
import { notificationSign } from '@igepay/shared/signing';
import type { Browser, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, inject, it } from 'vitest';
import { axeViolations } from './axe.js';
import { camera } from './camera.js';
import { launchChromium, payInPopup, recorded, startWorld, status, type World } from './world.js';

const PASSWORD = 'a long dashboard password';
const HASH = await hashPassword(PASSWORD);

let browser: Browser;
let world: World | undefined;
let receiver: Server | undefined;
beforeAll(async () => {
  browser = await launchChromium();
});
afterAll(async () => {
  await browser.close();
});
afterEach(async () => {
  await world?.close();
  world = undefined;
  receiver?.close();
  receiver = undefined;
});

/** The shop's app on loopback: it keeps every event it is sent, with its `webhook-id`. */
async function startReceiver(): Promise<{ url: string; events: Array<{ id: string; body: string }> }> {
  const events: Array<{ id: string; body: string }> = [];
  receiver = createServer((request: IncomingMessage, response) => {
    let body = '';
    request.on('data', (chunk: Buffer) => {
      body += chunk.toString('utf8');
    });
    request.on('end', () => {
      events.push({ id: String(request.headers['webhook-id']), body });
      response.writeHead(200, { 'content-type': 'application/json' }).end('{"received":true}');
    });
  });
  await new Promise<void>((resolve) => receiver?.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hooks/igepay`, events };
}

/** Collects the page's CSP violations from its start: the dashboard must cause none. */
const CSP_RECORDER = `
window.__cspViolations = [];
document.addEventListener('securitypolicyviolation', (event) => {
  window.__cspViolations.push(event.violatedDirective + ' ' + event.blockedURI);
});`;

const cspViolations = (page: Page) =>
  page.evaluate(() => (globalThis as unknown as { __cspViolations: string[] }).__cspViolations);

async function signIn(page: Page, password: string): Promise<void> {
  await page.getByLabel('密码').fill(password);
  await page.getByRole('button', { name: '登录' }).click();
}

describe("the merchant's dashboard", () => {
  it('shows a sandbox purchase, its timeline and actions, keeps an audit, and signs out', async () => {
    const shop = await startReceiver();
    world = await startWorld(browser, {
      widgetFile: inject('widgetFile'),
      dashboardDir: inject('dashboardDir'),
      env: {
        IGEPAY_ADMIN_PASSWORD_HASH: HASH,
        IGEPAY_FORWARD_URL: shop.url,
        IGEPAY_FORWARD_SECRET: `whsec_${Buffer.alloc(24, 7).toString('base64')}`,
      },
    });
    const { page, base, context } = world;
    const shot = camera('dashboard');

    // A buyer pays ¥68.00 with Alipay in the demo shop.
    await page.locator('#buy-coffee-beans').getByText('支付宝').click();
    const cashier = await payInPopup(page, 'buy-coffee-beans', '68.00');
    await cashier.getByRole('button', { name: '模拟支付成功' }).click();
    await status(page, 'buy-coffee-beans').getByText('✓ 支付成功 ¥68.00').waitFor();
    const [order] = world.orders();
    const orderId = order?.order_id ?? '';
    await expect.poll(() => shop.events.length).toBe(1);

    // A validly signed notification for an order this server never made: kept for a person.
    const token = recorded.tokens.at(-1) ?? '';
    const stray = { order_id: 'ORDER-NOT-OURS', price: '9.90' };
    const kept = await fetch(`${base}/api/igepay/notify`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        ...stray,
        sign: notificationSign(stray, token),
        // Unsigned: anyone's words, with a screen clear in them.
        pay_num: 'P-STRAY\u001b[2J',
        code: '0000',
      }).toString(),
    });
    expect(await kept.text()).toBe('success');
    // The shop's app hears of both: the payment, and the notification kept unapplied.
    await expect.poll(() => shop.events.length).toBe(2);

    const admin = await context.newPage();
    await admin.addInitScript(CSP_RECORDER);
    await admin.goto(`${base}/admin`);
    await admin.waitForURL(`${base}/admin/`);

    // A wrong password is refused, and says so.
    await signIn(admin, 'not the password');
    await admin.getByRole('alert').getByText('密码不对。').waitFor();
    await shot(admin, 'sign-in-refused');

    // The right one opens the overview: today's takings hold the payment, and so does the chart.
    await signIn(admin, PASSWORD);
    const today = admin.getByRole('region', { name: '今天' });
    await today.getByText('¥68.00').first().waitFor();
    expect(await today.textContent()).toContain('1 笔');
    expect(await admin.locator('header .mode').textContent()).toBe('沙箱（不产生真实交易）');
    const bars = admin.locator('svg.chart g title');
    expect(await bars.count()).toBe(30);
    expect(await bars.last().textContent()).toContain('¥68.00');
    expect(
      Number(await admin.locator('svg.chart g').last().locator('rect.alipay-bar').getAttribute('height')),
    ).toBeGreaterThan(100);
    // Every date label is whole, the last one too (it was cut to "12-0" at the chart's edge).
    // Run in the page: SVG text, typed here by what is read of it.
    type SvgText = {
      textContent: string;
      getBBox(): { x: number; width: number };
      ownerSVGElement: { viewBox: { baseVal: { width: number } } };
    };
    const labels = await admin.locator('svg.chart text.label').evaluateAll((texts) =>
      (texts as unknown as SvgText[]).map((text) => {
        const box = text.getBBox();
        const width = text.ownerSVGElement.viewBox.baseVal.width;
        return { text: text.textContent, left: box.x, right: box.x + box.width, width };
      }),
    );
    expect(labels.length).toBeGreaterThan(4);
    expect(labels.at(-1)?.text).toMatch(/^\d\d-\d\d$/);
    for (const label of labels) {
      expect(label.left, label.text).toBeGreaterThanOrEqual(0);
      expect(label.right, label.text).toBeLessThanOrEqual(label.width);
    }
    const attention = admin.getByRole('region', { name: '需要处理' });
    expect(await attention.textContent()).toContain('无法入账的通知: 1');
    expect(await axeViolations(admin)).toEqual([]);
    await shot(admin, 'overview');

    // The orders list finds it by its id, and opens its timeline.
    await admin.getByRole('link', { name: '订单', exact: true }).click();
    await admin.getByRole('searchbox').fill(orderId);
    await admin.getByRole('button', { name: '筛选' }).click();
    await admin.waitForURL(/#\/orders\?q=/);
    const rows = admin.locator('tbody tr');
    await expect.poll(() => rows.count()).toBe(1);
    expect(await rows.first().textContent()).toContain('已支付');
    expect(await axeViolations(admin)).toEqual([]);
    await shot(admin, 'orders');
    await rows.first().getByRole('link', { name: orderId }).click();

    const timeline = admin.locator('ol li');
    await admin.getByText('收到 igepay 通知').waitFor();
    const steps = await timeline.locator('strong').allTextContents();
    expect(steps).toEqual(['订单创建', '收到 igepay 通知', '已支付', '事件 order.paid', '已送达 forward']);
    // The notification's fields as received, without its sign.
    const fields = await timeline.nth(1).locator('pre').textContent();
    expect(fields).toContain(`"order_id": "${orderId}"`);
    expect(fields).toContain('"price": "68.00"');
    expect(fields).not.toContain('"sign"');
    expect(await timeline.nth(4).locator('pre').textContent()).toBe('HTTP 200: {"received":true}');
    expect(await axeViolations(admin)).toEqual([]);
    await shot(admin, 'order');

    // Redeliver: the shop's app receives the same event again, and the timeline shows the attempt.
    await admin.getByRole('button', { name: '重新发送' }).click();
    await admin.getByRole('status').getByText('已排队重新发送。').waitFor();
    await expect.poll(() => shop.events.length, { timeout: 10_000 }).toBe(3);
    expect(shop.events[0]?.id).toBe(`evt_paid_${orderId}`);
    expect(shop.events[2]).toEqual(shop.events[0]);
    await expect
      .poll(
        async () => {
          await admin.reload();
          await admin.getByText('收到 igepay 通知').waitFor();
          return await timeline.locator('strong').allTextContents();
        },
        { timeout: 10_000 },
      )
      .toEqual([
        '订单创建',
        '收到 igepay 通知',
        '已支付',
        '事件 order.paid',
        '已送达 forward',
        '已送达 forward',
      ]);

    // The stray notification is resolved with a note.
    await admin.getByRole('link', { name: '待处理' }).click();
    const item = admin.getByRole('region', { name: /^无法入账的通知 \d+$/ });
    await item.getByText('unknown-order').waitFor();
    expect(await item.locator('pre').textContent()).not.toContain('sign');
    // Shown as an escape, never as the control character itself.
    expect(await item.textContent()).toContain('pay_num P-STRAY\\x1b[2J');
    expect(await admin.locator('body').textContent()).not.toMatch(
      // biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is the point.
      /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/,
    );
    expect(await axeViolations(admin)).toEqual([]);
    await shot(admin, 'reconcile');
    await item.getByLabel('处理说明').fill('Not our order: asked igepay to return it');
    await item.getByRole('button', { name: '标记为已处理' }).click();
    await item.getByText('已处理：Not our order: asked igepay to return it').waitFor();

    // The audit keeps who did what, and the note.
    await admin.getByRole('link', { name: '操作记录' }).click();
    const audit = admin.locator('tbody tr');
    await expect.poll(() => audit.count()).toBe(4);
    const entries = await audit.evaluateAll((trs) =>
      trs.map((tr) => [...tr.querySelectorAll('td')].slice(0, 4).map((td) => td.textContent?.trim())),
    );
    expect(entries.map((entry) => entry.slice(1))).toEqual([
      ['标记已处理', expect.stringMatching(/^unapplied:\d+$/), 'Not our order: asked igepay to return it'],
      ['重新发送事件', `evt_paid_${orderId}`, ''],
      ['登录', '', ''],
      ['登录失败（密码不对）', '', ''],
    ]);
    expect(await axeViolations(admin)).toEqual([]);
    await shot(admin, 'audit');

    // The overview now has nothing unresolved among the notifications.
    await admin.getByRole('link', { name: '概览' }).click();
    await today.getByText('¥68.00').first().waitFor();
    expect(await attention.textContent()).not.toContain('无法入账的通知');

    // Sign-out ends the session: the cookie it had opens nothing any more.
    const cookie = (await context.cookies(`${base}/admin/`)).find((c) => c.name === 'igepay_admin');
    expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Strict', path: '/admin' });
    await admin.getByRole('button', { name: '退出登录' }).click();
    await admin.getByRole('status').getByText('已退出登录。').waitFor();
    const after = await fetch(`${base}/admin/api/overview`, {
      headers: { cookie: `igepay_admin=${cookie?.value}` },
    });
    expect(after.status).toBe(401);

    // Five attempts a minute: two were made; three more wrong ones, then even the right one is refused.
    for (let i = 0; i < 3; i += 1) {
      await signIn(admin, `wrong ${i}`);
      await admin.getByRole('alert').getByText('密码不对。').waitFor();
    }
    await signIn(admin, PASSWORD);
    await admin.getByRole('alert').getByText('尝试次数太多，请一分钟后再试。').waitFor();
    expect(await admin.locator('header').count()).toBe(0);

    // Nothing the page did broke its CSP, and no secret reached this browser.
    expect(await cspViolations(admin)).toEqual([]);
    const csp = (await fetch(`${base}/admin/`)).headers.get('content-security-policy');
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("frame-ancestors 'none'");
    for (const { body, headers } of recorded.received) {
      expect(body).not.toContain(token);
      expect(headers).not.toContain(token);
      expect(body).not.toContain(HASH);
    }
  });

  it('signs out everywhere from the audit page: the session of another browser ends too', async () => {
    world = await startWorld(browser, {
      widgetFile: inject('widgetFile'),
      dashboardDir: inject('dashboardDir'),
      env: { IGEPAY_ADMIN_PASSWORD_HASH: HASH },
    });
    const { base, context } = world;
    // The merchant's laptop, and a phone (another browser context: its own cookie).
    const phone = await browser.newContext({ locale: 'zh-CN' });
    try {
      const pages = [await context.newPage(), await phone.newPage()];
      for (const page of pages) {
        await page.goto(`${base}/admin/`);
        await signIn(page, PASSWORD);
        await page.getByRole('link', { name: '操作记录' }).waitFor();
      }
      const [laptop, handset] = pages as [Page, Page];
      await laptop.getByRole('link', { name: '操作记录' }).click();
      await camera('dashboard')(laptop, 'audit-sessions');
      await laptop.getByRole('button', { name: '在所有设备上退出' }).click();
      await laptop.getByLabel('密码').waitFor();
      // The phone's next request finds its session gone: it is back at the sign-in form.
      await handset.getByRole('link', { name: '订单' }).click();
      await handset.getByLabel('密码').waitFor();
    } finally {
      await phone.close();
    }
  });

  it('reads well on every page: zh-CN and English, light and dark, phone and desktop', async () => {
    const shop = await startReceiver();
    world = await startWorld(browser, {
      widgetFile: inject('widgetFile'),
      dashboardDir: inject('dashboardDir'),
      env: {
        IGEPAY_ADMIN_PASSWORD_HASH: HASH,
        IGEPAY_FORWARD_URL: shop.url,
        IGEPAY_FORWARD_SECRET: `whsec_${Buffer.alloc(24, 7).toString('base64')}`,
      },
    });
    const { page, base } = world;
    await page.locator('#buy-coffee-beans').getByText('微信支付').click();
    const cashier = await payInPopup(page, 'buy-coffee-beans', '68.00');
    await cashier.getByRole('button', { name: '模拟支付成功' }).click();
    await status(page, 'buy-coffee-beans').getByText('✓ 支付成功 ¥68.00').waitFor();
    const orderId = world.orders()[0]?.order_id ?? '';
    const stray = { order_id: 'ORDER-NOT-OURS', price: '9.90' };
    await fetch(`${base}/api/igepay/notify`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        ...stray,
        sign: notificationSign(stray, recorded.tokens.at(-1) ?? ''),
        pay_num: 'P-STRAY',
        code: '0000',
      }).toString(),
    });
    await expect.poll(() => shop.events.length).toBe(2);

    // One sign-in (five a minute are allowed), its cookie given to every browser below.
    const signedIn = await fetch(`${base}/admin/api/session`, {
      method: 'POST',
      headers: { origin: base, 'content-type': 'application/json' },
      body: JSON.stringify({ password: PASSWORD }),
    });
    expect(signedIn.status).toBe(201);
    const value = /igepay_admin=([^;]+)/.exec(signedIn.headers.get('set-cookie') ?? '')?.[1] ?? '';

    const pages = [
      ['overview', '#/overview', 'svg.chart'],
      ['orders', '#/orders', 'tbody tr'],
      ['order', `#/orders/${orderId}`, 'ol li'],
      ['reconcile', '#/reconcile', 'pre'],
      ['audit', '#/audit', 'tbody tr'],
    ] as const;
    const sheets: Record<'light' | 'dark', Array<{ label: string; shots: string[] }>> = {
      light: [],
      dark: [],
    };
    for (const colorScheme of ['light', 'dark'] as const) {
      for (const [name] of pages) sheets[colorScheme].push({ label: name, shots: [] });
      for (const device of ['desktop', 'phone'] as const) {
        for (const locale of ['zh-CN', 'en-US'] as const) {
          const context = await browser.newContext({
            locale,
            colorScheme,
            ...(device === 'phone'
              ? {
                  viewport: { width: 390, height: 844 },
                  deviceScaleFactor: 1,
                  isMobile: true,
                  hasTouch: true,
                }
              : { viewport: { width: 1100, height: 800 } }),
          });
          await context.addCookies([{ name: 'igepay_admin', value, url: `${base}/admin/` }]);
          const admin = await context.newPage();
          await admin.addInitScript(CSP_RECORDER);
          for (const [index, [name, hash, ready]] of pages.entries()) {
            await admin.goto(`${base}/admin/${hash}`);
            await admin.locator(ready).first().waitFor();
            expect(await admin.locator('html').getAttribute('lang')).toBe(
              locale === 'en-US' ? 'en' : 'zh-CN',
            );
            expect(await axeViolations(admin), `${name} ${colorScheme} ${locale} ${device}`).toEqual([]);
            const shot = await admin.screenshot({ fullPage: device === 'phone' });
            sheets[colorScheme][index]?.shots.push(shot.toString('base64'));
            await camera('dashboard pages')(admin, `${name}-${colorScheme}-${locale}-${device}`);
            // Nothing wider than the screen: a phone scrolls down, never sideways (tables scroll in their card).
            expect(
              (await admin.evaluate('document.documentElement.scrollWidth')) as number,
              `${name} ${colorScheme} ${locale} ${device}`,
            ).toBeLessThanOrEqual(device === 'phone' ? 390 : 1100);
            if (colorScheme === 'light' && locale === 'zh-CN' && device === 'desktop' && name === 'overview')
              await camera('dashboard pages')(admin, 'overview', 'dashboard-overview');
          }
          expect(await cspViolations(admin)).toEqual([]);
          await context.close();
        }
      }
    }

    // Contact sheets for docs/: a row per page, then desktop zh-CN and English, phone zh-CN and English.
    const sheet = await browser.newPage({ viewport: { width: 1700, height: 800 } });
    for (const colorScheme of ['light', 'dark'] as const) {
      const rows = sheets[colorScheme]
        .map(
          (row) =>
            `<h2>${row.label}</h2><div class="row">${row.shots.map((shot) => `<img src="data:image/png;base64,${shot}">`).join('')}</div>`,
        )
        .join('');
      await sheet.setContent(
        `<style>body{margin:12px;font:14px system-ui;background:${colorScheme === 'dark' ? '#0d1117;color:#e6edf3' : '#eef0f3'}}h2{font-size:14px;margin:12px 0 6px}.row{display:flex;gap:12px;align-items:flex-start}img{width:480px}img:nth-child(n+3){width:180px}</style>${rows}`,
      );
      await sheet.setViewportSize({
        width: 1700,
        height: (await sheet.evaluate('document.documentElement.scrollHeight')) as number,
      });
      await camera('dashboard pages')(sheet, `pages-${colorScheme}`, `dashboard-pages-${colorScheme}`);
    }
    await sheet.close();
    // Forty pages, each checked with axe: a generous bound, not a measure of speed.
  }, 240_000);
});
