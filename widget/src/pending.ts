import type { ActiveOrder } from './state.js';

const PREFIX = 'igepay-pending:';

/**
 * localStorage: a pending order survives a reload, the trip to igepay and back, and shows in
 * the page's other tabs, so the buyer is never offered a second payment by accident. It is
 * removed as soon as the order is paid, failed, expired or given up; its `client_secret` only
 * reads that order's status.
 */
function storage(): Storage | undefined {
  try {
    return window.localStorage;
  } catch {
    return undefined; // Storage can be disabled; the element then simply does not resume.
  }
}

/** Remembers the pending order of the element identified by `slot`. */
export function savePending(slot: string, order: ActiveOrder): void {
  try {
    storage()?.setItem(PREFIX + slot, JSON.stringify(order));
  } catch {
    // A full or read-only storage: this order is followed, it just does not survive a reload.
  }
}

/** The pending order of `slot`, if this page left one. */
export function readPending(slot: string): ActiveOrder | undefined {
  try {
    const value = JSON.parse(storage()?.getItem(PREFIX + slot) ?? 'null') as ActiveOrder | null;
    return typeof value?.order_id === 'string' &&
      typeof value.client_secret === 'string' &&
      typeof value.gateway?.action === 'string'
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
