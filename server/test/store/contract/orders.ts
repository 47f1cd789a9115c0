import { echoMismatch } from '@igepay/shared/signing';
import { describe, expect, it } from 'vitest';
import type { OrderChange } from '../../../src/store/order-store.js';
import { newOrder } from '../../support/harness.js';
import { type ContractEngine, MATCHING } from './engine.js';

/** The orders facet, and the engine under it: its mode, durability, exactly-once payment, expiry. */
export function ordersContract(engine: ContractEngine): void {
  describe('orders', () => {
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

    it('refuses writes after close instead of losing them', async () => {
      const store = await engine.open();
      await store.close();
      await expect(store.createOrder(newOrder('late'))).rejects.toThrow(/closed/);
      await expect(store.ping()).rejects.toThrow();
    });
  });
}
