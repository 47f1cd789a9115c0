import { echoMismatch } from '@igepay/shared/signing';
import { describe, expect, it } from 'vitest';
import type { OrderChange, OrderStore, Sink, StoreMode } from '../../src/store/order-store.js';
import { newOrder } from '../support/harness.js';

/** One store engine under the contract: `open` opens (and migrates) the test's database. */
export interface ContractEngine {
  open(options?: { readonly sinks?: readonly Sink[]; readonly mode?: StoreMode }): Promise<OrderStore>;
}

/** The key and amount of every order {@link newOrder} makes (the key required, as in strict mode), echoed as sent. */
export const MATCHING = {
  requestKey: 'k'.repeat(32),
  priceCents: 1230,
  echo: { key: 'k'.repeat(32), orderUid: null },
};

/** A signed notification for an order the store never had, received at `receivedAt`. */
const unknownOrder = (receivedAt: number) => ({
  reason: 'unknown-order' as const,
  orderId: 'nope',
  price: '1.00',
  payNum: 'P9',
  code: '0000',
  fields: { order_id: 'nope' },
  receivedAt,
});

/**
 * The behaviour every {@link OrderStore} engine must have, run against each engine by its own
 * test file (a fresh database per test, given by `engine`).
 */
export function storeContract(name: string, engine: ContractEngine): void {
  describe(`${name}: the store contract`, () => {
    it('remembers the mode that made it, and refuses a server of the other mode in one line', async () => {
      const first = await engine.open({ mode: 'sandbox' });
      expect(first.mode).toBe('sandbox');
      await first.close();
      const refused = await engine.open({ mode: 'live' }).then(
        (store) => store.close().then(() => undefined),
        (error: unknown) => error,
      );
      expect(refused).toMatchObject({ errorName: 'IGEPAY_ERR_STORE_MODE' });
      expect(String((refused as Error).message)).toMatch(/made by the sandbox .*never opens it/);
      expect(String((refused as Error).message)).not.toContain('\n');
      // The igepay command reads either, as what it is.
      const reader = await engine.open();
      expect(reader.mode).toBe('sandbox');
      await reader.close();
      const again = await engine.open({ mode: 'sandbox' });
      await again.close();
    });

    it('refuses the sandbox a live database', async () => {
      await (await engine.open({ mode: 'live' })).close();
      await expect(engine.open({ mode: 'sandbox' })).rejects.toMatchObject({
        errorName: 'IGEPAY_ERR_STORE_MODE',
        message: expect.stringMatching(/made by a live server/),
      });
    });

    it('keeps every order across close and reopen', async () => {
      const first = await engine.open();
      await Promise.all(Array.from({ length: 50 }, (_, i) => first.createOrder(newOrder(`o${i}`))));
      await first.markPaid({ orderId: 'o7', payNum: 'P7', transactionId: null, paidAt: 2_000, ...MATCHING });
      await first.close();

      const second = await engine.open();
      for (let i = 0; i < 50; i++) expect((await second.getOrder(`o${i}`))?.orderName).toBe('会员');
      expect(await second.getOrder('o7')).toMatchObject({
        status: 'paid',
        payNum: 'P7',
        paidAt: 2_000,
        late: false,
      });
      await second.close();
    });

    it('makes a write visible to another connection once its promise resolves', async () => {
      const writer = await engine.open();
      const reader = await engine.open();
      await writer.createOrder(newOrder('durable'));
      expect(await reader.getOrder('durable')).toMatchObject({ orderId: 'durable', status: 'pending' });
      await writer.close();
      await reader.close();
    });

    it('moves an order to paid exactly once when many payments race', async () => {
      const store = await engine.open();
      await store.createOrder(newOrder('race'));
      const changes: OrderChange[] = [];
      store.onChange((change) => changes.push(change));
      const results = await Promise.all(
        Array.from({ length: 20 }, (_, i) =>
          store.markPaid({
            orderId: 'race',
            payNum: `P${i}`,
            transactionId: null,
            paidAt: 2_000,
            ...MATCHING,
          }),
        ),
      );
      expect(results.filter((result) => result.outcome === 'paid')).toHaveLength(1);
      expect(results.filter((result) => result.outcome === 'already-paid-by-other-payment')).toHaveLength(19);
      expect(changes).toEqual([{ orderId: 'race', status: 'paid' }]);
      await store.close();
    });

    it('never pays an order whose key or amount differs from the payment', async () => {
      const store = await engine.open();
      await store.createOrder(newOrder('o'));
      const base = { orderId: 'o', payNum: 'P', transactionId: null, paidAt: 2_000 };
      const wrongKey = await store.markPaid({ ...base, ...MATCHING, requestKey: 'x'.repeat(32) });
      const wrongPrice = await store.markPaid({ ...base, ...MATCHING, priceCents: 1231 });
      expect(wrongKey).toMatchObject({ outcome: 'key-mismatch', order: { status: 'pending' } });
      expect(wrongPrice).toMatchObject({ outcome: 'price-mismatch', order: { status: 'pending' } });
      expect(await store.markPaid({ ...base, ...MATCHING })).toMatchObject({ outcome: 'paid' });
      // Once paid, a mismatching payment is still a mismatch, not a duplicate.
      expect((await store.markPaid({ ...base, ...MATCHING, priceCents: 1 })).outcome).toBe('price-mismatch');
      expect((await store.markPaid({ ...base, ...MATCHING })).outcome).toBe('duplicate');
      await store.close();
    });

    it('pays on the amount alone when the payment names no key, recording what the echoes differed in', async () => {
      const store = await engine.open({ sinks: ['forward'] });
      const key = 'k'.repeat(32);
      const cases: Array<[string | null, string | null, string | null]> = [
        // [the order's order_uid, the echoed key, the echoed order_uid]
        ['alice', key, 'alice'],
        ['alice', key, null],
        [null, key, ''],
        ['alice', 'e'.repeat(32), 'alice'],
        [null, null, null],
        ['alice', key, 'bob'],
        [null, key, 'x'.repeat(200)],
        ['alice', 'e'.repeat(32), '会员 "quoted" \\ back'],
      ];
      for (const [index, [orderUid, echoKey, echoUid]] of cases.entries()) {
        const orderId = `tolerant${index}`;
        await store.createOrder(newOrder(orderId, { orderUid }));
        const base = { orderId, payNum: `P${index}`, transactionId: null, paidAt: 2_000, requestKey: null };
        const echo = { key: echoKey, orderUid: echoUid };
        // Still exact on the amount.
        expect((await store.markPaid({ ...base, priceCents: 1231, echo })).outcome).toBe('price-mismatch');
        // The rule of @igepay/shared, worked out by the engine in its one statement.
        const expected = echoMismatch(
          { requestKey: key, orderUid },
          { ...(echoKey !== null && { key: echoKey }), ...(echoUid !== null && { order_uid: echoUid }) },
        );
        expect(await store.markPaid({ ...base, priceCents: 1230, echo }), `case ${index}`).toEqual({
          outcome: 'paid',
          late: false,
          echoMismatch: expected,
        });
        expect((await store.getOrder(orderId))?.echoMismatch, `case ${index}`).toEqual(expected);
        const event = await store.getEvent(`evt_paid_${orderId}`);
        expect(JSON.parse(event?.body ?? '').data.echo_mismatch, `case ${index}`).toEqual(expected);
        // A resend is the same payment whatever it echoes.
        expect((await store.markPaid({ ...base, priceCents: 1230, echo: { key, orderUid } })).outcome).toBe(
          'duplicate',
        );
      }
      await store.close();
    });

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

    it('flags late a payment after expiry or failure, not one in time', async () => {
      const store = await engine.open();
      await store.createOrder(newOrder('expired-unswept', { expiresAt: 100_000 }));
      await store.createOrder(newOrder('after-expiry'));
      await store.createOrder(newOrder('after-failure'));
      expect(await store.expireDue(2_000)).toEqual([]);
      expect(await store.markFailed('after-failure', '1001', 1_500)).toBe(true);
      expect(await store.markFailed('after-failure', '1001', 1_500)).toBe(false);
      expect(await store.expireDue(70_000)).toEqual(['after-expiry']);
      // Swept to expired, or still pending but past its expiry: late either way.
      const swept = await store.markPaid({
        orderId: 'after-expiry',
        payNum: 'A',
        transactionId: 'T',
        paidAt: 70_000,
        ...MATCHING,
      });
      expect(swept).toEqual({ outcome: 'paid', late: true, echoMismatch: null });
      expect(await store.getOrder('after-expiry')).toMatchObject({
        status: 'paid',
        late: true,
        transactionId: 'T',
      });
      await store.close();

      const fresh = await engine.open();
      expect(
        await fresh.markPaid({
          orderId: 'expired-unswept',
          payNum: 'E',
          transactionId: null,
          paidAt: 100_000,
          ...MATCHING,
        }),
      ).toMatchObject({
        outcome: 'paid',
        late: true,
      });
      await fresh.createOrder(newOrder('punctual', { createdAt: 0, expiresAt: 10_000 }));
      expect(
        await fresh.markPaid({
          orderId: 'punctual',
          payNum: 'B',
          transactionId: null,
          paidAt: 9_999,
          ...MATCHING,
        }),
      ).toMatchObject({
        outcome: 'paid',
        late: false,
      });
      expect(await fresh.getOrder('punctual')).toMatchObject({
        late: false,
        transactionId: null,
        payNum: 'B',
      });
      expect(
        (
          await fresh.markPaid({
            orderId: 'after-failure',
            payNum: 'C',
            transactionId: null,
            paidAt: 80_000,
            ...MATCHING,
          })
        ).outcome,
      ).toBe('paid');
      expect((await fresh.getOrder('after-failure'))?.late).toBe(true);
      expect(
        (await fresh.markPaid({ orderId: 'nope', payNum: 'D', transactionId: null, paidAt: 1, ...MATCHING }))
          .outcome,
      ).toBe('unknown-order');
      await fresh.close();
    });

    it('expires only pending orders that are due, and wakes listeners for each', async () => {
      const store = await engine.open();
      await store.createOrder(newOrder('due', { expiresAt: 5_000 }));
      await store.createOrder(newOrder('later', { expiresAt: 50_000 }));
      await store.createOrder(newOrder('paid', { expiresAt: 5_000 }));
      await store.markPaid({ orderId: 'paid', payNum: 'P', transactionId: null, paidAt: 4_000, ...MATCHING });
      const changes: OrderChange[] = [];
      const unsubscribe = store.onChange((change) => changes.push(change));
      expect(await store.expireDue(4_999)).toEqual([]);
      expect(await store.expireDue(5_000)).toEqual(['due']);
      expect(await store.expireDue(5_000)).toEqual([]);
      expect(changes).toEqual([{ orderId: 'due', status: 'expired' }]);
      unsubscribe();
      expect(await store.expireDue(60_000)).toEqual(['later']);
      expect(changes).toHaveLength(1);
      await store.close();
    });

    it('commits a group of writes together, rolling back only the one that fails', async () => {
      const store = await engine.open();
      const results = await Promise.allSettled([
        store.createOrder(newOrder('a')),
        store.createOrder(newOrder('a')),
        store.createOrder(newOrder('b')),
      ]);
      expect(results.map((result) => result.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
      expect(await store.getOrder('a')).toBeDefined();
      expect(await store.getOrder('b')).toBeDefined();
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

    it('refuses writes after close instead of losing them', async () => {
      const store = await engine.open();
      await store.close();
      await expect(store.createOrder(newOrder('late'))).rejects.toThrow(/closed/);
      await expect(store.ping()).rejects.toThrow();
    });

    describe('events (the outbox)', () => {
      const paid = (orderId: string, payNum = 'P1') => ({
        orderId,
        payNum,
        transactionId: 'T1',
        paidAt: 2_123,
        ...MATCHING,
      });

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
        expect(history.events.map((event) => event.id)).toEqual([
          'evt_paid_o3',
          history.unapplied[0]?.eventId,
        ]);
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
    });

    describe('dashboard sessions', () => {
      it('keeps a session by its hash, touches it, and ends it alone or with every idle one', async () => {
        const store = await engine.open();
        const session = (n: number, lastSeenAt: number) => ({
          idHash: String(n).repeat(64),
          csrfToken: `csrf-${n}`,
          createdAt: 1_796_000_000_000 + n,
          lastSeenAt,
        });
        await store.createAdminSession(session(1, 1_796_000_001_000));
        await store.createAdminSession(session(2, 1_796_000_002_000));
        await store.createAdminSession(session(3, 1_796_000_003_000));
        expect(await store.getAdminSession('1'.repeat(64))).toEqual(session(1, 1_796_000_001_000));
        expect(await store.getAdminSession('9'.repeat(64))).toBeUndefined();
        await store.touchAdminSession('1'.repeat(64), 1_796_000_009_000);
        expect((await store.getAdminSession('1'.repeat(64)))?.lastSeenAt).toBe(1_796_000_009_000);
        await store.deleteAdminSessions({ idHash: '3'.repeat(64) });
        expect(await store.getAdminSession('3'.repeat(64))).toBeUndefined();
        // Sessions not used since a time go, the others stay.
        await store.deleteAdminSessions({ lastSeenBefore: 1_796_000_005_000 });
        expect(await store.getAdminSession('2'.repeat(64))).toBeUndefined();
        expect(await store.getAdminSession('1'.repeat(64))).toBeDefined();
        await store.close();
        // Durable: another opening sees it.
        const reopened = await engine.open();
        expect((await reopened.getAdminSession('1'.repeat(64)))?.csrfToken).toBe('csrf-1');
        await reopened.close();
      });

      it('sums takings per local day and channel, by when they were paid, and counts late payments', async () => {
        const store = await engine.open();
        const at = (iso: string) => Date.parse(iso);
        const sale = async (
          id: string,
          channel: 'wechat' | 'alipay',
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

      it('keeps an audit trail of what was done, newest first', async () => {
        const store = await engine.open();
        const action = (n: number, target: string | null, note: string | null) => ({
          at: 1_796_000_000_000 + n,
          action: n === 1 ? 'sign-in' : 'resolve',
          session: 'abcdef012345',
          client: '2001:db8::1',
          target,
          note,
        });
        await store.recordAdminAction(action(1, null, null));
        await store.recordAdminAction(action(2, 'O-1', '已与支付宝核对，金额无误'));
        const trail = await store.listAdminActions(10);
        expect(trail.map(({ id: _id, ...rest }) => rest)).toEqual([
          action(2, 'O-1', '已与支付宝核对，金额无误'),
          action(1, null, null),
        ]);
        expect(trail[0]?.id).toBeGreaterThan(trail[1]?.id ?? Number.POSITIVE_INFINITY);
        expect(await store.listAdminActions(1)).toHaveLength(1);
        await store.close();
      });
    });

    describe('without sinks', () => {
      it('writes no events: they exist to be delivered', async () => {
        const store = await engine.open();
        await store.createOrder(newOrder('o'));
        await store.markPaid({ orderId: 'o', payNum: 'P', transactionId: null, paidAt: 2_000, ...MATCHING });
        expect(await store.listEvents()).toEqual([]);
        await store.close();
      });
    });
  });
}
