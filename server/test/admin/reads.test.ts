import type { Overview } from '@igepay/shared';
import { type CheckoutResponse, formatPrice, parsePrice } from '@igepay/shared';
import { describe, expect, it } from 'vitest';
import { checkout, notificationFor, postNotify } from '../support/harness.js';
import { base, signIn, start } from './dashboard-server.js';

describe('the dashboard overview', () => {
  it('shows the takings of a payment, today and per day by channel, and what needs attention', async () => {
    const running = await start();
    const signedOut = await fetch(`${base}/admin/api/overview`);
    expect(signedOut.status).toBe(401);
    const { cookie } = await signIn();
    const coffee = await checkout(running.app, { product: 'mug', channel: 'alipay' });
    expect((await postNotify(running.app, notificationFor(coffee))).body).toBe('success');
    const tip = await checkout(running.app, { price: '8.80', channel: 'wechat' });
    expect((await postNotify(running.app, notificationFor(tip))).body).toBe('success');
    const response = await fetch(`${base}/admin/api/overview?tz_offset=480`, { headers: { cookie } });
    expect(response.status).toBe(200);
    const overview = (await response.json()) as Overview;
    const price = coffee.gateway.fields.price;
    const total = formatPrice((parsePrice(price) ?? 0) + 880);
    expect(overview.livemode).toBe(true);
    expect(overview.today).toEqual({ total, count: 2, by_channel: { wechat: '8.80', alipay: price } });
    expect(overview.last_7_days).toEqual(overview.today);
    expect(overview.last_30_days).toEqual(overview.today);
    expect(overview.daily).toHaveLength(30);
    const today = new Date(Date.now() + 480 * 60_000).toISOString().slice(0, 10);
    expect(overview.daily.at(-1)).toEqual({ day: today, ...overview.today });
    expect(overview.daily[0]).toMatchObject({ total: '0.00', count: 0 });
    expect(overview.attention).toEqual({
      unapplied_notifications: 0,
      late_payments: 0,
      undelivered_events: 0,
      oldest_undelivered_at: null,
      rejected_notifications: 0,
    });
    // A forged notification is refused and counted where a person will see it.
    await postNotify(running.app, { ...notificationFor(tip), sign: 'f'.repeat(32) });
    const after = (await (
      await fetch(`${base}/admin/api/overview`, { headers: { cookie } })
    ).json()) as Overview;
    expect(after.attention.rejected_notifications).toBe(1);
    const bad = await fetch(`${base}/admin/api/overview?tz_offset=99999`, { headers: { cookie } });
    expect(bad.status).toBe(400);
  });
});

describe('the dashboard orders list', () => {
  it('filters, searches and pages the orders (keyset), and exports the selection as CSV', async () => {
    const running = await start();
    expect((await fetch(`${base}/admin/api/orders`)).status).toBe(401);
    expect((await fetch(`${base}/admin/api/orders.csv`)).status).toBe(401);
    const { cookie } = await signIn();
    const made: CheckoutResponse[] = [];
    for (const [i, body] of [
      { product: 'vip', channel: 'wechat' },
      { price: '8.80', channel: 'alipay', order_name: '=1+1 赞助', order_uid: 'customer-7' },
      { product: 'mug', channel: 'alipay' },
      { price: '1288.00', channel: 'wechat', order_name: '年会 礼品' },
      { product: 'vip', channel: 'alipay' },
    ].entries()) {
      running.advance(1000); // one a second, in this order
      made[i] = await checkout(running.app, body);
    }
    expect((await postNotify(running.app, notificationFor(made[1] as CheckoutResponse))).body).toBe(
      'success',
    );
    const list = async (query: string) => {
      const response = await fetch(`${base}/admin/api/orders?${query}`, { headers: { cookie } });
      expect(response.status, await response.clone().text()).toBe(200);
      return (await response.json()) as {
        orders: Array<{ order_id: string; status: string; price: string }>;
        next: string | null;
      };
    };
    const id = (i: number) => made[i]?.order_id;
    expect((await list('')).orders.map((o) => o.order_id)).toEqual([id(4), id(3), id(2), id(1), id(0)]);
    expect((await list('status=paid')).orders).toMatchObject([
      { order_id: id(1), status: 'paid', price: '8.80' },
    ]);
    expect((await list('channel=wechat')).orders.map((o) => o.order_id)).toEqual([id(3), id(0)]);
    expect((await list('product=vip&channel=alipay')).orders.map((o) => o.order_id)).toEqual([id(4)]);
    expect((await list(`q=${id(2)}`)).orders.map((o) => o.order_id)).toEqual([id(2)]);
    expect((await list('q=customer-7')).orders.map((o) => o.order_id)).toEqual([id(1)]);
    expect((await list(`q=${encodeURIComponent('礼品')}`)).orders.map((o) => o.order_id)).toEqual([id(3)]);
    // Two a page: each page's `next` is the next one's `after`, until there is none.
    const seen: string[] = [];
    let after = '';
    for (let pages = 0; pages < 10; pages += 1) {
      const page = await list(`limit=2${after}`);
      seen.push(...page.orders.map((o) => o.order_id));
      if (page.next === null) break;
      after = `&after=${encodeURIComponent(page.next)}`;
    }
    expect(seen).toEqual([id(4), id(3), id(2), id(1), id(0)]);
    for (const bad of [
      'limit=0',
      'limit=500',
      'status=lost',
      'after=nonsense',
      'from=yesterday',
      'from=2026-12-02&to=2026-12-01',
    ]) {
      const response = await fetch(`${base}/admin/api/orders?${bad}`, { headers: { cookie } });
      expect(response.status, bad).toBe(400);
    }

    const csv = await fetch(`${base}/admin/api/orders.csv?channel=alipay`, { headers: { cookie } });
    expect(csv.status).toBe(200);
    expect(csv.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(csv.headers.get('content-disposition')).toBe('attachment; filename="igepay-orders.csv"');
    const bytes = new Uint8Array(await csv.arrayBuffer());
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const lines = new TextDecoder().decode(bytes.slice(3)).trimEnd().split('\n');
    expect(lines[0]).toBe(
      'order_id,status,price,channel,product,order_name,order_uid,created_at,paid_at,pay_num,transaction_id,late',
    );
    expect(lines.slice(1).map((line) => line.split(',')[0])).toEqual([id(4), id(2), id(1)]);
    // A name that starts like a formula stays text in a spreadsheet.
    expect(lines[3]?.startsWith(`${id(1)},paid,8.80,alipay,,'=1+1 赞助,customer-7,`)).toBe(true);
    // Times as the merchant's clock reads them (China's by default), the offset written.
    const createdAt = (line: string | undefined) => line?.split(',')[7] ?? '';
    const made1 = (await running.app.igepay.store.getOrder(id(1) ?? ''))?.createdAt ?? 0;
    const at = (offset: number) => new Date(made1 + offset * 60_000).toISOString().slice(0, 19);
    expect(createdAt(lines[3])).toBe(`${at(480)}+08:00`);
    const utc = await fetch(`${base}/admin/api/orders.csv?channel=alipay&tz_offset=-330`, {
      headers: { cookie },
    });
    expect(createdAt((await utc.text()).trimEnd().split('\n')[3])).toBe(`${at(-330)}-05:30`);
  });
});
