import { verifyNotificationSign } from '@igepay/shared/signing';
import { describe, expect, it } from 'vitest';
import { inspect, orderStatus, sandboxCheckout } from '../support/sandbox-harness.js';
import { open, pay, paymentOf, restart, sentNotifications, server, token, until } from './sandbox-world.js';

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
    await restart({ IGEPAY_SANDBOX_FAULTS: 'short-price,duplicate' });
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
