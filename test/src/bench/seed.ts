import { type OrderStore, SqliteStore } from '@igepay/server';
import { notificationSign } from '@igepay/shared/signing';
import { BENCH_TOKEN } from './token.js';

/**
 * Writes `count` pending orders of 12.50 into the database at `dbPath`, and the validly
 * signed notification of each (form-encoded, as igepay sends it); `open` seeds another store instead. `clientSecretHash` lets a
 * load read the orders' status; by default no secret opens them.
 */
export async function seedPendingOrders(
  dbPath: string,
  count: number,
  options: { clientSecretHash?: string; open?: () => Promise<OrderStore> } = {},
): Promise<{ ids: string[]; notifications: string[] }> {
  const store = await (options.open ?? (() => SqliteStore.open({ path: dbPath })))();
  const now = Date.now();
  const ids: string[] = [];
  const notifications: string[] = [];
  const writes: Array<Promise<void>> = [];
  for (let i = 0; i < count; i++) {
    const orderId = `bench${String(i).padStart(10, '0')}`;
    const key = notificationSign({ order_id: orderId, price: 'key' }, BENCH_TOKEN);
    ids.push(orderId);
    writes.push(
      store.createOrder({
        orderId,
        clientSecretHash: options.clientSecretHash ?? '0'.repeat(64),
        returnTo: null,
        priceCents: 1250,
        channel: 'alipay',
        product: null,
        orderName: null,
        orderUid: null,
        requestKey: key,
        createdAt: now,
        expiresAt: now + 2 * 3_600_000,
      }),
    );
    notifications.push(
      new URLSearchParams({
        pay_num: `P${i}`,
        transaction_id: `T${i}`,
        order_id: orderId,
        price: '12.50',
        code: '0000',
        key,
        sign: notificationSign({ order_id: orderId, price: '12.50' }, BENCH_TOKEN),
      }).toString(),
    );
  }
  await Promise.all(writes);
  await store.close();
  return { ids, notifications };
}
