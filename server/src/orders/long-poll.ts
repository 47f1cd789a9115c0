import { OrderStatus } from '@igepay/shared';
import type { OrderRecord, OrderStore } from '../store/order-store.js';
import { statusAt } from './view.js';
import type { Waiters } from './waiters.js';

/** What a long poll needs. */
export interface LongPollDeps {
  readonly store: OrderStore;
  readonly waiters: Waiters;
  readonly now: () => number;
}

const stillPending = (order: OrderRecord, now: number): boolean =>
  statusAt(order, now) === OrderStatus.Pending;

/**
 * Holds a pending order's status read until it changes, the order expires, `waitMs` ends,
 * `signal` aborts (the client went away) or the server closes; resolves with the order as it
 * then stands. `order` is the order as first read (its secret already checked).
 */
export async function waitForChange(
  deps: LongPollDeps,
  order: OrderRecord,
  waitMs: number,
  signal: AbortSignal,
): Promise<OrderRecord> {
  const { store, waiters, now } = deps;
  const startedAt = now();
  if (!stillPending(order, startedAt)) return order;
  const timeoutMs = Math.min(waitMs, Math.max(0, order.expiresAt - startedAt) + 50);
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
      !stillPending(current, now()) || signal.aborted || waiters.closed || performance.now() >= deadline;
    if (!done) await watch.changed;
    watch.cancel();
    if (done) return current;
  }
}
