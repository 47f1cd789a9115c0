import type { OrderStore, Sink, StoreMode } from '../../../src/store/order-store.js';

/** One store engine under the contract: `open` opens (and migrates) the test's database. */
export interface ContractEngine {
  open(options?: { readonly sinks?: readonly Sink[]; readonly mode?: StoreMode }): Promise<OrderStore>;
}

/** The key and amount of every order `newOrder` makes (the key required, as in strict mode), echoed as sent. */
export const MATCHING = {
  requestKey: 'k'.repeat(32),
  priceCents: 1230,
  echo: { key: 'k'.repeat(32), orderUid: null },
};

/** A signed notification for an order the store never had, received at `receivedAt`. */
export const unknownOrder = (receivedAt: number) => ({
  reason: 'unknown-order' as const,
  orderId: 'nope',
  price: '1.00',
  payNum: 'P9',
  code: '0000',
  fields: { order_id: 'nope' },
  receivedAt,
});

/** A payment of `orderId` that matches it, paid at 2,123 ms. */
export const paid = (orderId: string, payNum = 'P1') => ({
  orderId,
  payNum,
  transactionId: 'T1',
  paidAt: 2_123,
  ...MATCHING,
});
