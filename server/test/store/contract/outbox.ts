import { describe, expect, it } from 'vitest';
import { newOrder } from '../../support/harness.js';
import { type ContractEngine, MATCHING, paid, unknownOrder } from './engine.js';

/** Events for the merchant's app and their deliveries, and none without sinks. */
export function outboxContract(engine: ContractEngine): void {
  describe('events (the outbox)', () => {
    it('writes one order.paid event with the change to paid, queued for each sink, whatever the repeats', async () => {
      const store = await engine.open({ sinks: ['forward', 'callback'] });
      await store.createOrder(newOrder('o1', { orderUid: 'alice', product: 'vip' }));
      const results = await Promise.all([
        store.markPaid(paid('o1')),
        store.markPaid(paid('o1')),
        store.markPaid(paid('o1', 'P2')),
      ]);
      expect(results.filter((r) => r.outcome === 'paid')).toHaveLength(1);
      const events = await store.listEvents();
      expect(events).toHaveLength(1);
      const [event] = events;
      expect(event?.id).toBe('evt_paid_o1');
      // An integer in the JSON itself (`2`, not `2.0`): typed receivers refuse a float.
      expect(event?.body).toMatch(/"created":2,/);
      expect(JSON.parse(event?.body ?? '')).toEqual({
        id: 'evt_paid_o1',
        type: 'order.paid',
        created: 2,
        livemode: true,
        data: {
          order_id: 'o1',
          price: '12.30',
          channel: 'alipay',
          product: 'vip',
          order_name: '会员',
          order_uid: 'alice',
          pay_num: 'P1',
          transaction_id: 'T1',
          paid_at: '1970-01-01T00:00:02.123Z',
          late: false,
          echo_mismatch: null,
        },
      });
      expect(event?.deliveries.map((d) => [d.sink, d.state, d.attempts])).toEqual([
        ['callback', 'pending', 0],
        ['forward', 'pending', 0],
      ]);
      await store.close();
    });

    it('tells what the outbox holds: pending deliveries, the oldest one, unapplied notifications', async () => {
      const store = await engine.open({ sinks: ['forward'] });
      expect(await store.outboxStats()).toEqual({
        pendingDeliveries: 0,
        oldestPendingAt: null,
        unappliedNotifications: 0,
      });
      await store.createOrder(newOrder('o1'));
      await store.markPaid(paid('o1'));
      await store.recordUnapplied(unknownOrder(9_000));
      expect(await store.outboxStats()).toEqual({
        pendingDeliveries: 2,
        oldestPendingAt: paid('o1').paidAt,
        unappliedNotifications: 1,
      });
      const [due] = await store.dueDeliveries(paid('o1').paidAt, 1);
      await store.recordDelivery({
        eventId: due?.event.id ?? '',
        sink: 'forward',
        state: 'delivered',
        nextAttemptAt: 9_000,
        error: null,
        deliveredAt: 9_000,
        attemptedAt: 9_000,
        reply: 'HTTP 200',
      });
      expect(await store.outboxStats()).toMatchObject({ pendingDeliveries: 1, oldestPendingAt: 9_000 });
      expect(store.pendingWrites()).toBe(0);
      await store.close();
    });

    it('marks the events of a sandbox database livemode: false', async () => {
      const store = await engine.open({ sinks: ['forward'], mode: 'sandbox' });
      expect(store.mode).toBe('sandbox');
      await store.createOrder(newOrder('o1'));
      await store.markPaid(paid('o1'));
      await store.recordUnapplied(unknownOrder(3_000));
      const bodies = (await store.listEvents()).map(
        (event) => JSON.parse(event.body) as { livemode: unknown },
      );
      expect(bodies.map((body) => body.livemode)).toEqual([false, false]);
      await store.close();
    });

    it('records attempts, gives due deliveries only, and queues an event again on request', async () => {
      const store = await engine.open({ sinks: ['forward'] });
      await store.createOrder(newOrder('o2'));
      const { paidAt } = paid('o2');
      await store.markPaid(paid('o2'));
      expect((await store.dueDeliveries(paidAt - 1, 10)).length).toBe(0);
      const [due] = await store.dueDeliveries(paidAt, 10);
      expect(due).toMatchObject({
        sink: 'forward',
        attempts: 0,
        event: { id: 'evt_paid_o2', orderId: 'o2' },
      });

      await store.recordDelivery({
        eventId: 'evt_paid_o2',
        sink: 'forward',
        state: 'pending',
        nextAttemptAt: paidAt + 60_000,
        error: 'HTTP 503',
        deliveredAt: null,
        attemptedAt: paidAt + 1_000,
        reply: 'HTTP 503',
      });
      expect(await store.dueDeliveries(paidAt + 59_999, 10)).toEqual([]);
      await store.recordDelivery({
        eventId: 'evt_paid_o2',
        sink: 'forward',
        state: 'delivered',
        nextAttemptAt: paidAt + 60_000,
        error: null,
        deliveredAt: paidAt + 61_000,
        attemptedAt: paidAt + 61_000,
        reply: 'HTTP 200: ok',
      });
      expect((await store.getEvent('evt_paid_o2'))?.deliveries[0]).toMatchObject({
        state: 'delivered',
        attempts: 2,
        deliveredAt: paidAt + 61_000,
      });
      expect(await store.dueDeliveries(paidAt + 120_000, 10)).toEqual([]);

      expect(await store.redeliver('evt_paid_o2', ['forward'], paidAt + 200_000)).toBe(true);
      expect(await store.redeliver('evt_nope', ['forward'], paidAt)).toBe(false);
      expect(await store.dueDeliveries(paidAt + 200_000, 10)).toHaveLength(1);
      await store.close();
    });

    it("tells one order's history: the notifications that paid it and repeated it, its events and every attempt", async () => {
      const store = await engine.open({ sinks: ['forward'] });
      await store.createOrder(newOrder('o3'));
      await store.createOrder(newOrder('o4'));
      const { paidAt } = paid('o3');
      const fields = { order_id: 'o3', price: '12.30', code: '0000', pay_num: 'P1' };
      expect(await store.markPaid({ ...paid('o3'), fields })).toMatchObject({ outcome: 'paid' });
      // The other order's payment keeps nothing of its notification when given no fields.
      await store.markPaid(paid('o4'));
      for (let i = 1; i <= 25; i += 1) {
        await store.recordNotification('o3', {
          receivedAt: paidAt + i,
          fields: { ...fields, n: String(i) },
        });
      }
      await store.recordUnapplied({
        reason: 'already-paid-by-other-payment',
        orderId: 'o3',
        price: '12.30',
        payNum: 'P2',
        code: '0000',
        fields: { order_id: 'o3', pay_num: 'P2' },
        receivedAt: paidAt + 500,
      });
      const attempt = (at: number, ok: boolean, reply: string) =>
        store.recordDelivery({
          eventId: 'evt_paid_o3',
          sink: 'forward',
          state: ok ? 'delivered' : 'pending',
          nextAttemptAt: at + 30_000,
          error: ok ? null : reply,
          deliveredAt: ok ? at : null,
          attemptedAt: at,
          reply,
        });
      await attempt(paidAt + 100, false, 'no reply: connect ECONNREFUSED');
      await attempt(paidAt + 200, true, 'HTTP 200: {"received":true}');
      // Not pending any more: a late result of a raced attempt is no attempt of this delivery.
      await attempt(paidAt + 300, false, 'HTTP 500');

      const history = await store.orderHistory('o3');
      expect(history.order).toMatchObject({ orderId: 'o3', status: 'paid' });
      // The paying one, then the resends while fewer than 20 were kept.
      expect(history.notifications).toHaveLength(20);
      expect(history.notifications[0]).toEqual({ receivedAt: paidAt, fields });
      expect(history.notifications[19]?.fields.n).toBe('19');
      expect(history.unapplied).toMatchObject([{ reason: 'already-paid-by-other-payment', payNum: 'P2' }]);
      expect(history.events.map((event) => event.id)).toEqual(['evt_paid_o3', history.unapplied[0]?.eventId]);
      expect(history.events[0]?.attempts).toEqual([
        { sink: 'forward', at: paidAt + 100, ok: false, reply: 'no reply: connect ECONNREFUSED' },
        { sink: 'forward', at: paidAt + 200, ok: true, reply: 'HTTP 200: {"received":true}' },
      ]);
      expect(history.events[0]?.deliveries).toMatchObject([{ state: 'delivered', attempts: 2 }]);
      expect(history.events[1]?.attempts).toEqual([]);

      expect((await store.orderHistory('o4')).notifications).toEqual([]);
      expect(await store.orderHistory('nope')).toEqual({
        order: undefined,
        notifications: [],
        unapplied: [],
        events: [],
      });
      await store.close();
    });

    it('writes no events: they exist to be delivered', async () => {
      const store = await engine.open();
      await store.createOrder(newOrder('o'));
      await store.markPaid({ orderId: 'o', payNum: 'P', transactionId: null, paidAt: 2_000, ...MATCHING });
      expect(await store.listEvents()).toEqual([]);
      await store.close();
    });
  });
}
