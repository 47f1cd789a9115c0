import type { CheckoutResponse } from '@igepay/shared';
import { requestKey } from '@igepay/shared/signing';
import { describe, expect, it } from 'vitest';
import {
  formBody,
  inspect,
  orderStatus,
  postGatewayForm,
  sandboxCheckout,
} from '../support/sandbox-harness.js';
import { open, pay, restart, sentNotifications, server, token } from './sandbox-world.js';

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

    await restart({ IGEPAY_SANDBOX_FAULTS: 'html-filter' });
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
