import { describe, expect, it } from 'vitest';
import type { ContractEngine } from './engine.js';

/** What igepay sent besides applied payments: refused and unapplied notifications. */
export function notificationsContract(engine: ContractEngine): void {
  describe('notifications', () => {
    it('keeps the most recent refused notifications only, newest first', async () => {
      const store = await engine.open();
      for (let i = 0; i < 7; i++) {
        await store.recordRejected(
          {
            reason: i % 2 === 0 ? 'bad-sign' : 'unreadable',
            detail: `attempt ${i}`,
            receivedAt: 1_000 + i,
            clientAddress: '203.0.113.9',
            contentType: i % 2 === 0 ? 'application/x-www-form-urlencoded' : null,
            fields: i % 2 === 0 ? { order_id: `o${i}`, sign: 'f'.repeat(32) } : null,
            excerpt: i % 2 === 0 ? null : '{"order_id":',
          },
          5,
        );
      }
      const kept = await store.listRejected(100);
      expect(kept.map((r) => r.detail)).toEqual([
        'attempt 6',
        'attempt 5',
        'attempt 4',
        'attempt 3',
        'attempt 2',
      ]);
      expect(kept[0]).toMatchObject({
        reason: 'bad-sign',
        receivedAt: 1_006,
        clientAddress: '203.0.113.9',
        contentType: 'application/x-www-form-urlencoded',
        fields: { order_id: 'o6', sign: 'f'.repeat(32) },
        excerpt: null,
      });
      expect(kept[1]).toMatchObject({
        reason: 'unreadable',
        contentType: null,
        fields: null,
        excerpt: '{"order_id":',
      });
      expect(await store.listRejected(2)).toHaveLength(2);
      await store.close();
    });

    it('keeps an unapplied notification once, however often it is received', async () => {
      const store = await engine.open();
      const notification = {
        reason: 'price-mismatch' as const,
        orderId: 'o1',
        price: '1.00',
        payNum: 'P1',
        code: '0000',
        fields: { order_id: 'o1', price: '1.00', sign: 's', pay_num: 'P1' },
        receivedAt: 5,
      };
      await store.recordUnapplied(notification);
      await store.recordUnapplied({
        ...notification,
        receivedAt: 6,
        fields: { pay_num: 'P1', sign: 's', price: '1.00', order_id: 'o1' },
      });
      await store.recordUnapplied({ ...notification, reason: 'key-mismatch' });
      const kept = await store.listUnapplied();
      expect(kept.map((record) => record.reason)).toEqual(['price-mismatch', 'key-mismatch']);
      expect(kept[0]).toMatchObject({
        orderId: 'o1',
        price: '1.00',
        payNum: 'P1',
        receivedAt: 5,
        fields: notification.fields,
        resolvedAt: null,
        resolvedNote: null,
      });
      // A person deals with one, once: the note is kept, and it no longer counts as waiting.
      expect((await store.outboxStats()).unappliedNotifications).toBe(2);
      const id = kept[0]?.id ?? 0;
      expect(await store.resolveUnapplied(id, 9, '已在支付宝后台核对，补发商品')).toBe(true);
      expect(await store.resolveUnapplied(id, 10, 'again')).toBe(false);
      expect(await store.resolveUnapplied(9999, 10, 'none')).toBe(false);
      expect((await store.listUnapplied())[0]).toMatchObject({
        resolvedAt: 9,
        resolvedNote: '已在支付宝后台核对，补发商品',
      });
      expect((await store.outboxStats()).unappliedNotifications).toBe(1);
      await store.close();
    });

    it('keeps a notification as dealt with when told so: a failed payment that failed its order', async () => {
      const store = await engine.open();
      await store.recordUnapplied({
        reason: 'code-not-success',
        orderId: 'o1',
        price: '1.00',
        payNum: 'P1',
        code: '2001',
        fields: { order_id: 'o1', price: '1.00', sign: 's', code: '2001' },
        receivedAt: 7,
        resolvedNote: 'the payment failed',
      });
      expect(await store.listUnapplied()).toMatchObject([
        { reason: 'code-not-success', resolvedAt: 7, resolvedNote: 'the payment failed' },
      ]);
      expect((await store.outboxStats()).unappliedNotifications).toBe(0);
      await store.close();
    });

    it('counts the refused notifications it keeps', async () => {
      const store = await engine.open();
      expect(await store.countRejected()).toBe(0);
      for (let i = 0; i < 3; i += 1) {
        await store.recordRejected(
          {
            reason: 'bad-sign',
            detail: 'the sign is not right for this token',
            receivedAt: i,
            clientAddress: '127.0.0.1',
            contentType: null,
            fields: null,
            excerpt: null,
          },
          2,
        );
      }
      expect(await store.countRejected()).toBe(2);
      await store.close();
    });

    it('announces an unapplied notification once, as its own event type', async () => {
      const store = await engine.open({ sinks: ['forward'] });
      const notification = {
        reason: 'unknown-order' as const,
        orderId: 'ghost',
        price: '1.00',
        payNum: 'P9',
        code: '0000',
        fields: { order_id: 'ghost', price: '1.00', pay_num: 'P9' },
        receivedAt: 5_000,
      };
      await store.recordUnapplied(notification);
      await store.recordUnapplied(notification);
      const events = await store.listEvents();
      expect(events.map((e) => [e.type, e.orderId])).toEqual([['notification.unapplied', 'ghost']]);
      expect(JSON.parse(events[0]?.body ?? '').data).toMatchObject({
        reason: 'unknown-order',
        order_id: 'ghost',
        pay_num: 'P9',
      });
      await store.close();
    });

    it('keeps and announces only the first variants of one signed notification, and counts the rest', async () => {
      const store = await engine.open({ sinks: ['forward'] });
      // The sign covers order_id and price: pay_num, code and any other field are anyone's.
      const variant = (n: number, sign = 's1', price = '1.00') => ({
        reason: 'unknown-order' as const,
        orderId: 'ghost',
        price,
        payNum: `P${n}`,
        code: '0000',
        fields: { order_id: 'ghost', price, sign, pay_num: `P${n}`, padding: 'x'.repeat(5_000) },
        receivedAt: 5_000 + n,
      });
      for (let n = 0; n < 10; n += 1) await store.recordUnapplied(variant(n));
      await store.recordUnapplied(variant(1)); // a repeat of one kept: nothing new
      let kept = await store.listUnapplied();
      expect(kept.map((record) => [record.payNum, record.suppressed])).toEqual([
        ['P0', 7],
        ['P1', 0],
        ['P2', 0],
      ]);
      // What the sign does not cover is kept bounded.
      expect(String(kept[0]?.fields.padding)).toHaveLength(513);
      // Another signed notification has its own count.
      await store.recordUnapplied(variant(0, 's2', '2.00'));
      kept = await store.listUnapplied();
      expect(kept).toHaveLength(4);
      const events = await store.listEvents();
      expect(events.map((event) => event.id).sort()).toEqual(kept.map((record) => record.eventId).sort());
      for (const event of events) {
        expect(event.id).toMatch(/^evt_unapplied_[0-9a-f]{32}$/);
        // Whoever reads the event gets no signed notification to replay.
        expect(JSON.parse(event.body).data.fields).not.toHaveProperty('sign');
      }
      await store.close();
    });
  });
}
