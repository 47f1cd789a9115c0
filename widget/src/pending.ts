import type { Channel } from '@igepay/shared';

/** A redirect-mode order kept across the trip to igepay and back. */
export interface PendingOrder {
  readonly order_id: string;
  readonly client_secret: string;
  readonly price: string;
  readonly channel: Channel;
}

const PREFIX = 'igepay-pending:';

/** sessionStorage: this tab only, gone when it closes; the secret never outlives the tab. */
function storage(): Storage | undefined {
  try {
    return window.sessionStorage;
  } catch {
    return undefined; // Storage can be disabled; redirect mode then simply does not resume.
  }
}

/** Remembers the pending order of the element identified by `slot`. */
export function savePending(slot: string, order: PendingOrder): void {
  storage()?.setItem(PREFIX + slot, JSON.stringify(order));
}

/** The pending order of `slot`, if this tab left one. */
export function readPending(slot: string): PendingOrder | undefined {
  try {
    const value = JSON.parse(storage()?.getItem(PREFIX + slot) ?? 'null') as PendingOrder | null;
    return value && typeof value.order_id === 'string' && typeof value.client_secret === 'string'
      ? value
      : undefined;
  } catch {
    return undefined;
  }
}

/** Forgets the pending order of `slot`. */
export function clearPending(slot: string): void {
  storage()?.removeItem(PREFIX + slot);
}
