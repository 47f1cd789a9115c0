import { requestKey, verifyNotificationSign } from '@igepay/shared/signing';
import { describe, expect, it } from 'vitest';
import { inspect, orderStatus, postGatewayForm, sandboxCheckout } from '../support/sandbox-harness.js';
import { open, pay, paymentOf, restart, sentNotifications, server, token, until } from './sandbox-world.js';

describe('a purchase through the sandbox', () => {
  it('goes from checkout to the pay page, payment, notification, verified status and return_url', async () => {
    const order = await sandboxCheckout(server, { channel: 'alipay', product: 'mug' });
    expect(order.sandbox).toBe(true);
    expect(order.gateway.action).toBe(`${server.base}/sandbox/Home/Pay/payFor`);
    expect(order.gateway.fields.uid).toBe(server.merchant.uid);

    // The browser posts the form and lands on the cashier page.
    const posted = await postGatewayForm(order.gateway.action, order.gateway.fields);
    expect(posted.status).toBe(303);
    const pagePath = posted.headers.get('location') ?? '';
    expect(pagePath).toMatch(/^\/sandbox\/pay\/\d{20}/);
    const page = await fetch(`${server.base}${pagePath}`);
    expect(page.headers.get('igepay-sandbox')).toBe('1');
    const html = await page.text();
    expect(html).toContain('¥12.30');
    expect(html).toContain('Coffee mug');
    expect(html).toContain('data-channel="alipay"');
    expect(html).toContain('<svg');
    expect(html).toContain('data-state="awaiting"');

    // The buyer pays; the verified status becomes paid.
    const payNum = pagePath.split('/')[3]?.split('?')[0] ?? '';
    const paid = await pay(payNum, [], 'text/html');
    expect(paid.status).toBe(303);
    expect((await orderStatus(server, order, { from: 'pending' })).status).toBe('paid');

    // The notification was docs/protocol.md §1.3's, signed for the merchant's token.
    const [sent] = await sentNotifications(order.order_id);
    const fields = sent?.sent as Record<string, string>;
    expect(Object.keys(fields)).toEqual([
      'pay_num',
      'transaction_id',
      'order_id',
      'price',
      'code',
      'key',
      'sign',
    ]);
    expect(fields).toMatchObject({ pay_num: payNum, order_id: order.order_id, price: '12.30', code: '0000' });
    expect(fields.key).toBe(order.gateway.fields.key);
    expect(fields.transaction_id).toMatch(/^\d{28}$/);
    expect(
      verifyNotificationSign({ order_id: order.order_id, price: '12.30', sign: fields.sign ?? '' }, token),
    ).toBe(true);
    expect(sent).toMatchObject({ status: 200, reply: 'success', acked: true });

    // Then the page sends the browser to return_url, which shows the verified payment.
    const after = await (await fetch(`${server.base}${pagePath}`)).text();
    const refresh = /<meta http-equiv="refresh" content="(\d+);url=([^"]+)">/.exec(after);
    expect(refresh?.[2]?.replaceAll('&amp;', '&')).toBe(order.gateway.fields.return_url);
    expect(Number(refresh?.[1])).toBeLessThanOrEqual(3);
    const returned = await fetch(order.gateway.fields.return_url, { headers: { 'accept-language': 'en' } });
    const returnPage = await returned.text();
    expect(returnPage).toContain('data-status="paid"');
    expect(returnPage).toContain('Sandbox mode');
    expect(returnPage).toContain('Back to the shop');
  });

  it('echoes order_uid and signs a Chinese order name byte for byte', async () => {
    const order = await sandboxCheckout(server, {
      channel: 'wechat',
      price: '88.80',
      order_name: '会员充值 · 一年',
      order_uid: 'user@例子.com',
    });
    const payNum = await open(order);
    const page = await (await fetch(`${server.base}/sandbox/pay/${payNum}`)).text();
    expect(page).toContain('会员充值 · 一年');
    expect(page).toContain('data-channel="wechat"');
    expect((await pay(payNum)).status).toBe(200);
    expect((await orderStatus(server, order, { from: 'pending' })).status).toBe('paid');
    const [sent] = await sentNotifications(order.order_id);
    expect(sent?.sent).toMatchObject({ order_uid: 'user@例子.com', price: '88.80' });
  });

  it('shows the pay page in English on request and Chinese by default', async () => {
    const payNum = await open(await sandboxCheckout(server, { channel: 'wechat', product: 'vip' }));
    const zh = await (await fetch(`${server.base}/sandbox/pay/${payNum}`)).text();
    expect(zh).toContain('lang="zh-CN"');
    expect(zh).toContain('微信支付');
    const en = await (await fetch(`${server.base}/sandbox/pay/${payNum}?lang=en`)).text();
    expect(en).toContain('WeChat Pay');
    const browser = await fetch(`${server.base}/sandbox/pay/${payNum}`, {
      headers: { 'accept-language': 'en-GB' },
    });
    expect(await browser.text()).toContain('Simulate a successful payment');
  });

  it('hands out pay links at PUBLIC_URL, whatever address the browser used', async () => {
    const payNum = await open(await sandboxCheckout(server, { channel: 'wechat', product: 'vip' }));
    const viaOtherHost = await server.app.inject({
      url: `/sandbox/pay/${payNum}`,
      headers: { host: 'localhost:1234', accept: 'application/json' },
    });
    expect(viaOtherHost.json()).toMatchObject({ pay_url: `${server.base}/sandbox/pay/${payNum}` });
  });
});

describe('one payment per order_id', () => {
  it('the same order posted again shows the same payment; changed fields are refused', async () => {
    const order = await sandboxCheckout(server, { channel: 'alipay', product: 'vip' });
    const first = await postGatewayForm(order.gateway.action, order.gateway.fields);
    const again = await postGatewayForm(order.gateway.action, order.gateway.fields);
    expect(again.headers.get('location')).toBe(first.headers.get('location'));

    const { key: _key, ...fields } = order.gateway.fields;
    const renamed = { ...fields, order_name: 'Something else' };
    const conflict = await postGatewayForm(
      order.gateway.action,
      { ...renamed, key: requestKey(renamed, token) },
      { accept: 'application/json' },
    );
    expect(conflict.status).toBe(409);
    expect(await conflict.json()).toMatchObject({ code: 1004 });

    // Once paid, posting the order again shows it paid; it cannot be paid twice.
    const payNum = (first.headers.get('location') ?? '').split('/')[3]?.split('?')[0] ?? '';
    await pay(payNum);
    await pay(payNum);
    const repeat = await postGatewayForm(order.gateway.action, order.gateway.fields);
    const page = await (await fetch(`${server.base}${repeat.headers.get('location')}`)).text();
    expect(page).toContain('data-state="paid"');
    expect(paymentOf(await inspect(server), payNum).deliveries).toHaveLength(1);
  });

  it('a cancelled or expired payment cannot be paid', async () => {
    const cancelled = await open(await sandboxCheckout(server, { channel: 'alipay', product: 'vip' }));
    const cancel = await fetch(`${server.base}/sandbox/pay/${cancelled}/cancel`, {
      method: 'POST',
      headers: { accept: 'application/json' },
    });
    expect(await cancel.json()).toMatchObject({ state: 'cancelled' });
    const refused = await pay(cancelled);
    expect(refused.status).toBe(409);
    expect(await refused.json()).toMatchObject({ code: 1006 });

    const order = await sandboxCheckout(server, { channel: 'wechat', product: 'vip' });
    const late = await open(order);
    server.advance(16 * 60_000);
    expect(await (await fetch(`${server.base}/sandbox/pay/${late}`)).text()).toContain(
      'data-state="expired"',
    );
    expect((await pay(late)).status).toBe(409);
    expect(await (await fetch(`${server.base}/sandbox/pay/00000000000000000000`)).text()).toContain('1005');
  });
});

describe('events of the sandbox', () => {
  it('are forwarded marked as not live, in the body and in a header', async () => {
    const received: Array<{ headers: Record<string, unknown>; body: string }> = [];
    const { createServer } = await import('node:http');
    const app = createServer((request, response) => {
      let body = '';
      request.on('data', (chunk) => {
        body += String(chunk);
      });
      request.on('end', () => {
        received.push({ headers: request.headers, body });
        response.writeHead(204).end();
      });
    });
    await new Promise<void>((resolve) => app.listen(0, '127.0.0.1', resolve));
    const address = app.address();
    const port = typeof address === 'object' && address ? address.port : 0;
    await restart({
      IGEPAY_FORWARD_URL: `http://127.0.0.1:${port}/events`,
      IGEPAY_FORWARD_SECRET: 'whsec_c2FuZGJveC1mb3J3YXJkLXNlY3JldC0wMTIzNDU2Nzg5',
    });
    try {
      const order = await sandboxCheckout(server, { channel: 'alipay', product: 'mug' });
      expect((await pay(await open(order))).status).toBe(200);
      await until(async () => (received.length > 0 ? true : undefined));
      const [event] = received;
      expect(event?.headers['igepay-sandbox']).toBe('1');
      expect(JSON.parse(event?.body ?? '')).toMatchObject({ type: 'order.paid', livemode: false });
    } finally {
      await new Promise((resolve) => app.close(resolve));
    }
  });
});
