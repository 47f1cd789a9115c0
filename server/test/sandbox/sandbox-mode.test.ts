import type { CheckoutResponse } from '@igepay/shared';
import { requestKey, verifyNotificationSign } from '@igepay/shared/signing';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  formBody,
  inspect,
  orderStatus,
  postGatewayForm,
  type SandboxInspection,
  type SandboxServer,
  sandboxCheckout,
  startSandboxServer,
} from '../support/sandbox-harness.js';

let server: SandboxServer;
const everything: string[] = [];
let token = '';
beforeEach(async () => {
  server = await startSandboxServer();
  token = server.merchant.token;
});
afterEach(async () => {
  everything.push(...server.responses, ...server.logs.map((line) => JSON.stringify(line)));
  await server.close();
});
afterAll(() => {
  // The sandbox token signs everything above, yet no page, reply or log line shows it.
  expect(everything.length).toBeGreaterThan(100);
  for (const text of everything) expect(text).not.toContain(token);
});

/** Waits for `check` to return a value (not undefined), polling; fails after `ms`. */
async function until<T>(check: () => Promise<T | undefined>, ms = 5000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** Posts the order's gateway form asking for JSON, and answers the simulator's pay_num. */
async function open(order: CheckoutResponse): Promise<string> {
  const response = await postGatewayForm(order.gateway.action, order.gateway.fields, {
    accept: 'application/json',
  });
  const body = (await response.json()) as { code: number; pay_num: string };
  expect(response.status, JSON.stringify(body)).toBe(200);
  expect(body.code).toBe(0);
  return body.pay_num;
}

/** The buyer presses "paid" on the pay page with these faults ticked (as the page's form posts it). */
function pay(payNum: string, faults: string[] = [], accept = 'application/json'): Promise<Response> {
  const form = new URLSearchParams([
    ['faults_chosen', '1'],
    ...faults.map((fault): [string, string] => ['fault', fault]),
  ]);
  return fetch(`${server.base}/sandbox/pay/${payNum}/pay`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', accept },
    body: form.toString(),
    redirect: 'manual',
  });
}

function paymentOf(inspection: SandboxInspection, payNum: string) {
  const payment = inspection.payments.find((p) => p.pay_num === payNum);
  if (!payment) throw new Error(`no payment ${payNum}`);
  return payment;
}

/** The notification bodies the simulator sent for an order, oldest first. */
async function sentNotifications(orderId: string): Promise<Array<Record<string, unknown>>> {
  const { entries } = await inspect(server, orderId);
  return entries.filter((entry) => entry.kind === 'notify').reverse();
}

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

describe('fault injection', () => {
  it('duplicate notifications: three copies acknowledged, the order paid once', async () => {
    const order = await sandboxCheckout(server, { channel: 'alipay', product: 'vip' });
    const payNum = await open(order);
    await pay(payNum, ['duplicate']);
    const payment = await until(async () => {
      const p = paymentOf(await inspect(server), payNum);
      return p.deliveries.every((d) => d.state === 'acked') ? p : undefined;
    });
    expect(payment.deliveries).toHaveLength(3);
    expect((await orderStatus(server, order)).status).toBe('paid');
    const paidEvents = server.logs.filter(
      (line) => line.event === 'order.paid' && line.order_id === order.order_id,
    );
    expect(paidEvents).toHaveLength(1);
    const stored = await server.app.inject({ method: 'GET', url: '/healthz' });
    expect(stored.statusCode).toBe(200);
  });

  it('a delayed notification: pending at first, paid later, and the buyer sent back only after it', async () => {
    const order = await sandboxCheckout(server, { channel: 'wechat', product: 'vip' });
    const payNum = await open(order);
    await pay(payNum, ['delay']);
    expect((await orderStatus(server, order)).status).toBe('pending');
    expect(paymentOf(await inspect(server), payNum).return_at).toBeNull();
    const page = await (await fetch(`${server.base}/sandbox/pay/${payNum}`)).text();
    expect(page).toContain('<meta http-equiv="refresh" content="1">');
    expect((await orderStatus(server, order, { from: 'pending' })).status).toBe('paid');
    const paidPayment = await until(
      async () => paymentOf(await inspect(server), payNum).return_at ?? undefined,
    );
    const [sent] = await sentNotifications(order.order_id);
    expect(Date.parse(paidPayment)).toBeGreaterThan(Date.parse(String(sent?.at)));
  });

  it('the redirect before the notification: the return page says processing until the payment is verified', async () => {
    const order = await sandboxCheckout(server, { channel: 'alipay', product: 'vip' });
    const payNum = await open(order);
    const paid = await pay(payNum, ['redirect-first'], 'text/html');
    const page = await (await fetch(`${server.base}${paid.headers.get('location')}`)).text();
    expect(page).toMatch(/<meta http-equiv="refresh" content="0;url=/);
    const returned = await (await fetch(order.gateway.fields.return_url)).text();
    expect(returned).toContain('data-status="pending"');
    expect(returned).toContain('正在确认支付');
    expect((await orderStatus(server, order, { from: 'pending' })).status).toBe('paid');
    expect(await (await fetch(order.gateway.fields.return_url)).text()).toContain('data-status="paid"');
  });

  it('a price without trailing zeros (12.3) is accepted and pays the order', async () => {
    const order = await sandboxCheckout(server, { channel: 'alipay', product: 'mug' });
    const payNum = await open(order);
    await pay(payNum, ['short-price']);
    expect((await orderStatus(server, order, { from: 'pending' })).status).toBe('paid');
    const [sent] = await sentNotifications(order.order_id);
    expect(sent).toMatchObject({ sent: { price: '12.3' }, reply: 'success' });
  });

  it('a gateway that signs 12.30 and sends 12.3 (respelled-sign) still pays the order', async () => {
    const order = await sandboxCheckout(server, { channel: 'alipay', product: 'mug' });
    const payNum = await open(order);
    await pay(payNum, ['respelled-sign']);
    expect((await orderStatus(server, order, { from: 'pending' })).status).toBe('paid');
    const [sent] = await sentNotifications(order.order_id);
    expect(sent).toMatchObject({ sent: { price: '12.3' }, reply: 'success' });
    expect(
      verifyNotificationSign(
        { ...(sent?.sent as { order_id: string; sign: string }), price: '12.30' },
        token,
      ),
    ).toBe(true);
  });

  it('a notification with a key of its own (other-key) pays the order, noted', async () => {
    const order = await sandboxCheckout(server, { channel: 'wechat', product: 'vip' });
    const payNum = await open(order);
    await pay(payNum, ['other-key']);
    expect((await orderStatus(server, order, { from: 'pending' })).status).toBe('paid');
    const [sent] = await sentNotifications(order.order_id);
    const sentKey = (sent?.sent as { key?: string } | undefined)?.key;
    expect(sentKey).toMatch(/^[0-9a-f]{32}$/);
    expect(sentKey).not.toBe(order.gateway.fields.key);
    expect(server.logs).toContainEqual(
      expect.objectContaining({ event: 'notify.echo-mismatch', order_id: order.order_id }),
    );
  });

  it('a code other than 0000 marks the order failed, never paid', async () => {
    const order = await sandboxCheckout(server, { channel: 'alipay', product: 'vip' });
    const payNum = await open(order);
    await pay(payNum, ['fail-code']);
    expect((await orderStatus(server, order, { from: 'pending' })).status).toBe('failed');
    const [sent] = await sentNotifications(order.order_id);
    expect(sent?.sent).toMatchObject({ code: '2001' });
    // The cashier tells the buyer the same outcome, in either language.
    const zh = await (await fetch(`${server.base}/sandbox/pay/${payNum}`)).text();
    expect(zh).toContain('<p class="result bad" role="status">支付失败</p>');
    expect(zh).not.toContain('支付成功');
    const en = await (await fetch(`${server.base}/sandbox/pay/${payNum}?lang=en`)).text();
    expect(en).toContain('Payment failed');
    expect(en).not.toContain('Payment successful');
  });

  it('a forged notification (bad sign) is refused at every resend and never pays', async () => {
    const order = await sandboxCheckout(server, { channel: 'wechat', product: 'vip' });
    const payNum = await open(order);
    await pay(payNum, ['bad-sign']);
    // The gateway took the money; the cashier says so, and that the merchant will not confirm it.
    const page = await (await fetch(`${server.base}/sandbox/pay/${payNum}`)).text();
    expect(page).toContain('✓ 支付成功');
    expect(page).toContain('商户不会确认这笔支付');
    const payment = await until(async () => {
      const p = paymentOf(await inspect(server), payNum);
      return p.deliveries[0]?.state === 'gave-up' ? p : undefined;
    });
    // The first attempt and the three resends of FAST_SANDBOX, each answered `fail`.
    expect(payment.deliveries[0]).toMatchObject({ attempts: 4, last_reply: 'fail' });
    const attempts = await sentNotifications(order.order_id);
    expect(attempts.map((a) => a.status)).toEqual([403, 403, 403, 403]);
    expect((await orderStatus(server, order)).status).toBe('pending');
  });

  it('faults set by configuration apply to every order', async () => {
    await server.close();
    server = await startSandboxServer({ IGEPAY_SANDBOX_FAULTS: 'short-price,duplicate' });
    token = server.merchant.token;
    const order = await sandboxCheckout(server, { channel: 'alipay', product: 'mug' });
    const payNum = await open(order);
    const page = await (await fetch(`${server.base}/sandbox/pay/${payNum}`)).text();
    expect(page).toContain('value="short-price" checked');
    // A script that says nothing about faults gets the configured ones.
    await fetch(`${server.base}/sandbox/pay/${payNum}/pay`, {
      method: 'POST',
      headers: { accept: 'application/json' },
    });
    expect((await orderStatus(server, order, { from: 'pending' })).status).toBe('paid');
    const payment = paymentOf(await inspect(server), payNum);
    expect(payment.faults.sort()).toEqual(['duplicate', 'short-price']);
    expect(payment.deliveries).toHaveLength(3);
  });
});

describe('the simulator refuses what igepay would refuse', () => {
  /** Fields re-keyed with the sandbox token after `changes`, so only the change is wrong. */
  function rekeyed(
    order: CheckoutResponse,
    changes: Record<string, string | undefined>,
  ): Record<string, string> {
    const { key: _key, ...fields } = { ...order.gateway.fields, ...changes };
    const clean = Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== undefined)) as Record<
      string,
      string
    >;
    return { ...clean, key: requestKey(clean as never, token) };
  }

  async function refusal(fields: Readonly<Record<string, string | undefined>>, action: string) {
    const response = await postGatewayForm(action, fields, { accept: 'application/json' });
    return { status: response.status, body: (await response.json()) as { code: number; msg: string } };
  }

  it.each([
    ['a tampered price', { price: '0.01' }, 1003, /key/],
    ['a tampered key', { key: '0'.repeat(32) }, 1003, /key/],
    ['a tampered order name', { order_name: 'free' }, 1003, /key/],
  ])('%s (key no longer matches)', async (_name, changes, code, msg) => {
    const order = await sandboxCheckout(server, { channel: 'alipay', product: 'vip' });
    const { status, body } = await refusal({ ...order.gateway.fields, ...changes }, order.gateway.action);
    expect(status).toBe(400);
    expect(body).toMatchObject({ code });
    expect(body.msg).toMatch(msg);
    // The explanation shows what to hash, with the token left out.
    expect(body.msg).toContain('<token>');
  });

  it.each([
    ['a price with 3 decimals', { price: '10.000' }, 1001, /price: .*at most 2 decimals/],
    ['a channel that is not 1 or 2', { type: '3' }, 1001, /type/],
    ['an order_id over 50 characters', { order_id: 'x'.repeat(51) }, 1001, /order_id: .*50/],
    ['a missing notify_url', { notify_url: undefined }, 1001, /notify_url: is required/],
    ['an unknown field', { coupon: 'FREE' }, 1001, /unknown field.*coupon/],
    ['another merchant uid', { uid: '10001' }, 1002, /uid 10001/],
  ])('%s', async (_name, changes, code, msg) => {
    const order = await sandboxCheckout(server, { channel: 'alipay', product: 'vip' });
    const { status, body } = await refusal(rekeyed(order, changes), order.gateway.action);
    expect(status).toBe(400);
    expect(body.code).toBe(code);
    expect(body.msg).toMatch(msg);
  });

  it.each([
    ['10', 'price "10" is not written with exactly 2 decimals'],
    ['10.0', 'price "10.0" is not written with exactly 2 decimals'],
  ])('takes a price of %s as gateways of this family do, and notes the deviation', async (price, note) => {
    const order = await sandboxCheckout(server, { channel: 'alipay', product: 'vip' });
    const fields = rekeyed(order, { price });
    const payNum = await open({ ...order, gateway: { ...order.gateway, fields: fields as never } });
    const { entries } = await inspect(server, order.order_id);
    expect(entries.find((entry) => entry.kind === 'request')?.notes).toEqual([expect.stringContaining(note)]);
    const page = await (
      await fetch(`${server.base}/sandbox/inspect?order_id=${order.order_id}&lang=en`)
    ).text();
    expect(page).toContain(`⚠ ${note.replaceAll('"', '&quot;')}`);
    // The notification echoes the price as posted, and the server pays the same amount.
    await pay(payNum);
    expect((await orderStatus(server, order, { from: 'pending' })).status).toBe('paid');
    expect((await sentNotifications(order.order_id))[0]).toMatchObject({ sent: { price }, reply: 'success' });
  });

  it('notes a name the live gateway would rewrite; the html-filter fault reproduces the key mismatch', async () => {
    const order = await sandboxCheckout(server, { channel: 'alipay', price: '5.00' });
    const named = rekeyed(order, { order_name: 'A&B' });
    // Without the fault: taken, with a warning on the inspection page.
    expect((await refusal(named, order.gateway.action)).status).toBe(200);
    const { entries } = await inspect(server, order.order_id);
    expect(entries.find((entry) => entry.kind === 'request')?.notes).toEqual([
      expect.stringMatching(/order_name holds & .*input filter rewrites them/),
    ]);

    await server.close();
    server = await startSandboxServer({ IGEPAY_SANDBOX_FAULTS: 'html-filter' });
    token = server.merchant.token;
    const second = await sandboxCheckout(server, { channel: 'alipay', price: '5.00' });
    const { status, body } = await refusal(rekeyed(second, { order_name: 'A&B' }), second.gateway.action);
    expect(status).toBe(400);
    expect(body.code).toBe(1003);
    expect(body.msg).toContain('rewrote order_name "A&B" to "A&amp;B" before checking the key');
    // Names without those characters are unchanged by the filter: the order goes through.
    const plain = await sandboxCheckout(server, { channel: 'alipay', price: '5.00', order_name: '会员 A+B' });
    expect((await refusal(plain.gateway.fields, plain.gateway.action)).status).toBe(200);
  });

  it('a field sent twice, a form that is not UTF-8, a body that is not a form', async () => {
    const order = await sandboxCheckout(server, { channel: 'alipay', product: 'vip' });
    const { action, fields } = order.gateway;
    const twice = `${formBody(fields)}&price=1.00`;
    const doubled = await fetch(action, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
      body: twice,
    });
    expect(doubled.status).toBe(400);
    expect(await doubled.json()).toMatchObject({
      code: 1001,
      msg: expect.stringMatching(/price: must be sent once/),
    });

    // `VIP会员` posted by a GBK page: valid percent-escapes of bytes that are not UTF-8.
    const gbk = formBody(fields).replace(/order_name=[^&]*/, 'order_name=VIP%BB%E1%D4%B1');
    const wrongCharset = await fetch(action, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
      body: gbk,
    });
    expect(wrongCharset.status).toBe(400);
    expect(await wrongCharset.json()).toMatchObject({ code: 1007, msg: expect.stringMatching(/UTF-8/) });

    const text = await fetch(action, {
      method: 'POST',
      headers: { 'content-type': 'text/plain' },
      body: 'x',
    });
    expect(text.status).toBe(400);
    expect(text.headers.get('content-type')).toMatch(/text\/html/);

    expect((await inspect(server)).payments).toEqual([]);
  });

  it('shows a browser an error page in its language, and records every refusal', async () => {
    const order = await sandboxCheckout(server, { channel: 'alipay', product: 'vip' });
    const tampered = { ...order.gateway.fields, price: '0.01' };
    const zh = await postGatewayForm(order.gateway.action, tampered);
    expect(zh.status).toBe(400);
    expect(zh.headers.get('content-type')).toMatch(/text\/html/);
    expect(await zh.text()).toContain('签名（key）错误');
    const en = await postGatewayForm(order.gateway.action, tampered, { 'accept-language': 'en' });
    expect(await en.text()).toContain('The key does not match the fields');
    const { entries, payments } = await inspect(server, order.order_id);
    expect(payments).toEqual([]);
    expect(entries.filter((e) => e.kind === 'request').map((e) => [e.outcome, e.code])).toEqual([
      ['refused', 1003],
      ['refused', 1003],
    ]);
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
    await server.close();
    server = await startSandboxServer({
      IGEPAY_FORWARD_URL: `http://127.0.0.1:${port}/events`,
      IGEPAY_FORWARD_SECRET: 'whsec_c2FuZGJveC1mb3J3YXJkLXNlY3JldC0wMTIzNDU2Nzg5',
    });
    token = server.merchant.token;
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
