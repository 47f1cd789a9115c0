import type { OrdersStore } from '../store/order-store.js';

/**
 * Long-poll wake-ups: one store subscription, fanned out to the requests waiting on each
 * order. A request registers before it reads the order, so a change that lands between the
 * read and the wait is not missed.
 */
export class Waiters {
  readonly #waiting = new Map<string, Set<() => void>>();
  readonly #unsubscribe: Array<() => void>;
  #closed = false;
  #count = 0;

  constructor(store: Pick<OrdersStore, 'onChange' | 'onMissedChanges'>) {
    this.#unsubscribe = [store.onChange((change) => this.#wake(change.orderId))];
    // Changes may have gone unheard: every waiting request re-reads its order.
    const missed = store.onMissedChanges?.(() => this.#wakeAll());
    if (missed) this.#unsubscribe.push(missed);
  }

  /**
   * Registers interest in `orderId`. The returned promise settles on the next change of that
   * order, after `timeoutMs`, on `signal` abort, or on {@link Waiters.close}, whichever is
   * first; `cancel` releases the registration early. It never rejects.
   */
  watch(
    orderId: string,
    timeoutMs: number,
    signal?: AbortSignal,
  ): { changed: Promise<void>; cancel: () => void } {
    let done: () => void = () => {};
    const changed = new Promise<void>((resolve) => {
      done = resolve;
    });
    let set = this.#waiting.get(orderId);
    if (!set) {
      set = new Set();
      this.#waiting.set(orderId, set);
    }
    const timer = setTimeout(() => cancel(), timeoutMs);
    const cancel = () => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', cancel);
      const current = this.#waiting.get(orderId);
      if (current?.delete(cancel)) {
        this.#count -= 1;
        if (current.size === 0) this.#waiting.delete(orderId);
      }
      done();
    };
    set.add(cancel);
    this.#count += 1;
    signal?.addEventListener('abort', cancel, { once: true });
    return { changed, cancel };
  }

  /** How many requests are waiting, on all orders. */
  get size(): number {
    return this.#count;
  }

  /** How many requests are waiting on `orderId`. */
  waitingOn(orderId: string): number {
    return this.#waiting.get(orderId)?.size ?? 0;
  }

  /** Wakes every waiting request and stops listening to the store. */
  close(): void {
    this.#closed = true;
    for (const unsubscribe of this.#unsubscribe) unsubscribe();
    this.#wakeAll();
  }

  /** After {@link Waiters.close}: nothing will wake a watch, so none should wait. */
  get closed(): boolean {
    return this.#closed;
  }

  #wakeAll(): void {
    for (const orderId of [...this.#waiting.keys()]) this.#wake(orderId);
  }

  #wake(orderId: string): void {
    const set = this.#waiting.get(orderId);
    if (!set) return;
    for (const cancel of [...set]) cancel();
  }
}
