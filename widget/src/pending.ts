import type { OrderView } from '@igepay/shared';
import type { ActiveOrder } from './state.js';

const PREFIX = 'igepay-pending:';

/**
 * An order this page keeps across reloads: until it ends while unpaid (with how it stood, so a
 * reload shows the same thing at once), and once paid, with the receipt's facts.
 */
export interface KeptOrder extends ActiveOrder {
  readonly ended?: 'cancelled' | 'expired' | 'paid';
  /** The paid order as the server verified it. */
  readonly view?: OrderView;
}

/**
 * localStorage: a pending order survives a reload, the trip to igepay and back, and shows in
 * the page's other tabs, so the buyer is never offered a second payment by accident. An unpaid
 * order is removed once nothing can pay it any more or the buyer gives it up; a paid one when
 * the buyer starts another. Its `client_secret` only reads that order's status.
 */
function storage(): Storage | undefined {
  try {
    return window.localStorage;
  } catch {
    return undefined; // Storage can be disabled; the element then simply does not resume.
  }
}

/** Remembers the order of the element identified by `slot`. */
export function savePending(slot: string, order: KeptOrder): void {
  try {
    storage()?.setItem(PREFIX + slot, JSON.stringify(order));
  } catch {
    // A full or read-only storage: this order is followed, it just does not survive a reload.
  }
}

/** The order `slot` kept, if this page left one. */
export function readPending(slot: string): KeptOrder | undefined {
  try {
    const value = JSON.parse(storage()?.getItem(PREFIX + slot) ?? 'null') as KeptOrder | null;
    // Only this element's own writes are read here: a shape check, not a validation.
    return value?.gateway && (value.ended !== 'paid' || value.view) ? value : undefined;
  } catch {
    return undefined;
  }
}

/** Forgets the order of `slot`. */
export function clearPending(slot: string): void {
  storage()?.removeItem(PREFIX + slot);
}
