import type { Channel } from '@igepay/shared';
import { describe, expect, it } from 'vitest';
import type { OrderStore } from '../../../src/store/order-store.js';
import { newOrder } from '../../support/harness.js';
import { type ContractEngine, MATCHING, paid } from './engine.js';

/** The lists, takings and late payments the dashboard and the CLI read. */
export function reportsContract(engine: ContractEngine): void {
  describe('reports (the read model)', () => {
    it('lists orders newest first, by status and since a time', async () => {
      const store = await engine.open();
      await store.createOrder(newOrder('a', { createdAt: 1_000 }));
      await store.createOrder(newOrder('b', { createdAt: 2_000 }));
      await store.createOrder(newOrder('c', { createdAt: 3_000 }));
      await store.markPaid(paid('b'));
      expect((await store.listOrders()).map((o) => o.orderId)).toEqual(['c', 'b', 'a']);
      expect((await store.listOrders({ status: 'paid' })).map((o) => o.orderId)).toEqual(['b']);
      expect((await store.listOrders({ since: 2_000, limit: 1 })).map((o) => o.orderId)).toEqual(['c']);
      await store.close();
    });

    it('filters orders by channel, product, time and a search, and pages through them by keyset', async () => {
      const store = await engine.open();
      const make = (id: string, createdAt: number, more: Parameters<typeof newOrder>[1] = {}) =>
        store.createOrder(newOrder(id, { createdAt, ...more }));
      await make('o1', 1_000, { channel: 'wechat', product: 'vip', orderName: 'VIP会员（月卡）' });
      await make('o2', 2_000, { channel: 'alipay', orderName: '云南咖啡豆 250g', orderUid: 'customer-7' });
      await make('o3', 2_000, { channel: 'alipay', orderName: '赞助 50%_off' }); // the same millisecond as o2
      await make('o4', 3_000, { channel: 'wechat', product: 'vip', orderName: 'VIP会员（年卡）' });
      await make('o5', 4_000, { channel: 'alipay', orderName: null });
      const ids = async (filter: Parameters<OrderStore['listOrders']>[0]) =>
        (await store.listOrders(filter)).map((o) => o.orderId);
      expect(await ids({ channel: 'wechat' })).toEqual(['o4', 'o1']);
      expect(await ids({ product: 'vip', channel: 'alipay' })).toEqual([]);
      expect(await ids({ since: 2_000, until: 4_000 })).toEqual(['o4', 'o3', 'o2']);
      // An id or a customer id exactly; a name by any part of it, taken literally.
      expect(await ids({ search: 'o3' })).toEqual(['o3']);
      expect(await ids({ search: 'customer-7' })).toEqual(['o2']);
      expect(await ids({ search: 'customer' })).toEqual([]);
      expect(await ids({ search: '会员' })).toEqual(['o4', 'o1']);
      expect(await ids({ search: '50%_' })).toEqual(['o3']);
      expect(await ids({ search: '%' })).toEqual(['o3']);
      // Two at a time, each page going on from the last row of the one before, ties included.
      const seen: string[] = [];
      let after: { createdAt: number; orderId: string } | undefined;
      for (;;) {
        const page = await store.listOrders({ limit: 2, after });
        if (page.length === 0) break;
        seen.push(...page.map((o) => o.orderId));
        const last = page.at(-1);
        after = last && { createdAt: last.createdAt, orderId: last.orderId };
      }
      expect(seen).toEqual(['o5', 'o4', 'o3', 'o2', 'o1']);
      await store.close();
    });
    it('finds a name by any part of it, one character or many, and pages through the matches', async () => {
      const store = await engine.open();
      const names = ['云南咖啡豆 250g', '咖啡杯', '🍵 抹茶', 'Tea 茶', '单', '豆', null];
      for (const [i, orderName] of names.entries()) {
        await store.createOrder(
          newOrder(`n${i}`, {
            createdAt: 1_000 * (i + 1),
            orderName,
            channel: i % 2 ? 'alipay' : 'wechat',
          }),
        );
      }
      const ids = async (filter: Parameters<OrderStore['listOrders']>[0]) =>
        (await store.listOrders(filter)).map((o) => o.orderId);
      expect(await ids({ search: '咖啡' })).toEqual(['n1', 'n0']);
      expect(await ids({ search: '啡豆' })).toEqual(['n0']);
      expect(await ids({ search: '豆' })).toEqual(['n5', 'n0']);
      // Every character is in some name, the pair in none.
      expect(await ids({ search: '豆杯' })).toEqual([]);
      expect(await ids({ search: '🍵' })).toEqual(['n2']);
      expect(await ids({ search: '🍵 抹茶' })).toEqual(['n2']);
      expect(await ids({ search: '茶' })).toEqual(['n3', 'n2']);
      expect(await ids({ search: '单' })).toEqual(['n4']);
      expect(await ids({ search: ' 250g' })).toEqual(['n0']);
      // The whole name, and longer than any.
      expect(await ids({ search: '云南咖啡豆 250g' })).toEqual(['n0']);
      expect(await ids({ search: '云南咖啡豆 250g 一袋' })).toEqual([]);
      // Case as written.
      expect(await ids({ search: 'Tea' })).toEqual(['n3']);
      expect(await ids({ search: 'tea' })).toEqual([]);
      // With the filters, and a page at a time.
      expect(await ids({ search: '咖啡', channel: 'alipay' })).toEqual(['n1']);
      expect(await ids({ search: '咖啡', until: 2_000 })).toEqual(['n0']);
      expect(await ids({ search: '茶', since: 3_500 })).toEqual(['n3']);
      expect(await ids({ search: '咖啡', limit: 1 })).toEqual(['n1']);
      expect(await ids({ search: '咖啡', limit: 1, after: { createdAt: 2_000, orderId: 'n1' } })).toEqual([
        'n0',
      ]);
      expect(await ids({ search: '' })).toEqual(['n6', 'n5', 'n4', 'n3', 'n2', 'n1', 'n0']);
      await store.close();
    });

    it('sums takings per local day and channel, by when they were paid, and counts late payments', async () => {
      const store = await engine.open();
      const at = (iso: string) => Date.parse(iso);
      const sale = async (
        id: string,
        channel: Channel,
        cents: number,
        paidIso: string,
        expiresIso?: string,
      ) => {
        const paidAt = at(paidIso);
        await store.createOrder(
          newOrder(id, {
            channel,
            priceCents: cents,
            createdAt: paidAt - 60_000,
            expiresAt: at(expiresIso ?? paidIso) + 60_000,
          }),
        );
        await store.markPaid({
          ...MATCHING,
          orderId: id,
          payNum: `P-${id}`,
          transactionId: null,
          paidAt,
          priceCents: cents,
        });
      };
      // 23:59:59 and 00:00:00 in China (UTC+8) fall on two days there.
      await sale('a', 'wechat', 1230, '2026-12-01T15:59:59Z');
      await sale('b', 'wechat', 6800, '2026-12-01T16:00:00Z');
      await sale('c', 'alipay', 990, '2026-12-01T17:00:00Z');
      await sale('d', 'alipay', 100, '2026-11-20T01:00:00Z'); // before the period
      await sale('e', 'alipay', 500, '2026-12-02T02:00:00Z', '2026-12-02T00:00:00Z'); // after its expiry: late
      await store.createOrder(newOrder('unpaid', { createdAt: at('2026-12-02T00:00:00Z') }));
      const rows = await store.takings({ since: at('2026-11-30T16:00:00Z'), offsetMinutes: 480 });
      expect(rows).toEqual([
        { day: '2026-12-01', channel: 'wechat', cents: 1230, count: 1 },
        { day: '2026-12-02', channel: 'alipay', cents: 1490, count: 2 },
        { day: '2026-12-02', channel: 'wechat', cents: 6800, count: 1 },
      ]);
      // In UTC the first three are one day.
      expect(await store.takings({ since: at('2026-12-01T00:00:00Z'), offsetMinutes: 0 })).toEqual([
        { day: '2026-12-01', channel: 'alipay', cents: 990, count: 1 },
        { day: '2026-12-01', channel: 'wechat', cents: 8030, count: 2 },
        { day: '2026-12-02', channel: 'alipay', cents: 500, count: 1 },
      ]);
      expect(await store.countLate()).toBe(1);
      await store.close();
    });
  });
}
