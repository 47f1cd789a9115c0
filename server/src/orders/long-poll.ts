import { OrderStatus } from '@igepay/shared';
import type { OrderRecord, OrdersStore } from '../store/order-store.js';
import { statusAt, stillAwaited } from './view.js';
import type { Waiters } from './waiters.js';

/** What a long poll needs. */
export interface LongPollDeps {
  readonly store: Pick<OrdersStore, 'getOrder'>;
  readonly waiters: Waiters;
  readonly now: () => number;
  readonly config: { readonly latePaymentMs: number };
}

/**
 * Holds an order's status read until it changes, the order expires, `waitMs` ends, `signal`
 * aborts (the client went away) or the server closes; resolves with the order as it then
 * stands. A pending order is held, and so is an expired one while a late payment is still
 * awaited (`stillAwaited`). `order` is the order as first read (its secret already checked).
 */
export async function waitForChange(
  deps: LongPollDeps,
  order: OrderRecord,
  waitMs: number,
  signal: AbortSignal,
): Promise<OrderRecord> {
  const { store, waiters, now } = deps;
  const { latePaymentMs } = deps.config;
  const startedAt = now();
  if (!stillAwaited(order, startedAt, latePaymentMs)) return order;
  const status = statusAt(order, startedAt);
  // Up to the next moment the status changes by the clock alone: its expiry, or the end of the late wait.
  const turn = status === OrderStatus.Pending ? order.expiresAt : order.expiresAt + latePaymentMs;
  const timeoutMs = Math.min(waitMs, Math.max(0, turn - startedAt) + 50);
  // Real time, not `now()`: the wait is a timer, whatever clock the orders keep.
  const deadline = performance.now() + timeoutMs;
  let current = order;
  for (;;) {
    // Watch first, then read again: a change between the two reads still wakes us. A wake
    // without a change (an engine that may have missed one) just reads again.
    const watch = waiters.watch(order.orderId, Math.max(0, deadline - performance.now()), signal);
    // Orders are never deleted: plain re-reads.
    current = (await store.getOrder(order.orderId)) ?? current;
    const done =
      statusAt(current, now()) !== status ||
      signal.aborted ||
      waiters.closed ||
      performance.now() >= deadline;
    if (!done) await watch.changed;
    watch.cancel();
    if (done) return current;
  }
}
