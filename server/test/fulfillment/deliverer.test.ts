import { SqliteStore } from '@igepay/server';
import { afterEach, describe, expect, it } from 'vitest';
import { Deliverer } from '../../src/fulfillment/deliverer.js';
import { DEFAULT_RETRY } from '../../src/fulfillment/retry.js';
import type { DueDelivery } from '../../src/store/order-store.js';
import { newOrder, tempDir } from '../support/harness.js';

const MATCHING = {
  requestKey: 'k'.repeat(32),
  priceCents: 1230,
  echo: { key: 'k'.repeat(32), orderUid: null },
};
const closers: Array<() => unknown> = [];
afterEach(async () => {
  for (const close of closers.splice(0).reverse()) await close();
});

/** A real store whose outbox reads are counted, `count` orders pending in it. */
async function storeWith(sinks: readonly ['callback'] | readonly [], count: number) {
  const { dir, cleanup } = tempDir();
  const store = await SqliteStore.open({ path: `${dir}/igepay.db`, sinks });
  closers.push(cleanup, () => store.close());
  for (let i = 0; i < count; i++) await store.createOrder(newOrder(`o${i}`));
  const looks = { count: 0 };
  const dueDeliveries = store.dueDeliveries.bind(store);
  const counted = {
    dueDeliveries: (now: number, limit: number, claimUntil?: number) => {
      looks.count += 1;
      return dueDeliveries(now, limit, claimUntil);
    },
    recordDelivery: store.recordDelivery.bind(store),
    onChange: store.onChange.bind(store),
  };
  const payAll = () =>
    Promise.all(
      Array.from({ length: count }, (_, i) =>
        store.markPaid({
          orderId: `o${i}`,
          payNum: `P${i}`,
          transactionId: null,
          paidAt: 2_000,
          ...MATCHING,
        }),
      ),
    );
  return { store: counted, looks, payAll };
}

const silentLog = { info() {}, warn() {}, error() {} } as never;
const turn = () => new Promise((resolve) => setTimeout(resolve, 50));

describe('the deliverer', () => {
  it('is woken by a payment, long before its next poll, and delivers each once', async () => {
    const { store, payAll } = await storeWith(['callback'], 20);
    const delivered: DueDelivery[] = [];
    const deliverer = new Deliverer({
      store,
      sinks: { callback: async (delivery) => void delivered.push(delivery) },
      retry: DEFAULT_RETRY,
      now: Date.now,
      log: silentLog,
      pollMs: 60_000,
    });
    deliverer.start();
    closers.push(() => deliverer.stop());
    await turn();
    await payAll();
    const deadline = Date.now() + 5_000;
    while (delivered.length < 20 && Date.now() < deadline) await turn();
    expect(delivered.map((d) => d.event.orderId).sort()).toEqual(
      Array.from({ length: 20 }, (_, i) => `o${i}`).sort(),
    );
  });

  it('reads the outbox once for a group of payments, and not at all without a sink', async () => {
    for (const [sinks, looksAfterPayments] of [
      [['callback'] as const, 1],
      [[] as const, 0],
    ] as const) {
      const { store, looks, payAll } = await storeWith(sinks, 20);
      const deliverer = new Deliverer({
        store,
        // Never answers: what is counted is the looks, not the deliveries' own.
        sinks: sinks.length > 0 ? { callback: () => new Promise<never>(() => {}) } : {},
        retry: DEFAULT_RETRY,
        now: Date.now,
        log: silentLog,
        pollMs: 60_000,
        concurrency: 100,
      });
      deliverer.start();
      await turn();
      expect(looks.count).toBe(1);
      await payAll();
      await turn();
      expect(looks.count - 1).toBe(looksAfterPayments);
      void deliverer.stop();
    }
  });
});
