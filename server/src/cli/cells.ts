/** Table cells more than one command prints. */
import type { EventRecord, OrderRecord } from '../store/order-store.js';
import { type Output, untrusted } from './output.js';

/** A status, coloured by what it means. */
export function statusCell(out: Output, status: string): string {
  const style =
    status === 'paid' || status === 'delivered'
      ? 'green'
      : status === 'failed'
        ? 'red'
        : status === 'pending'
          ? 'yellow'
          : 'dim';
  return out.paint(style, status);
}

/** An event's deliveries: sink, state and attempts each. */
export function deliveriesCell(out: Output, event: EventRecord): string {
  if (event.deliveries.length === 0) return out.paint('dim', '(no sink)');
  return event.deliveries.map((d) => `${d.sink} ${statusCell(out, d.state)} ×${d.attempts}`).join(', ');
}

export const ECHO_HINT =
  'Paid all the same: the sign and the amount were right, and the echoes are not signed. If igepay always echoes the key, IGEPAY_STRICT_KEY_ECHO=1 makes a differing one block payment (docs/first-live-payment.md).';

/** What an order's paying notification echoed differently, in one line. */
export function mismatchText(order: OrderRecord): string {
  const parts: string[] = [];
  const mismatch = order.echoMismatch ?? {};
  if ('key' in mismatch) {
    parts.push(
      mismatch.key === null ? 'key not echoed' : `key echoed as ${untrusted(mismatch.key ?? '', 60)}`,
    );
  }
  if (mismatch.order_uid !== undefined)
    parts.push(`order_uid echoed as ${untrusted(mismatch.order_uid, 60)}`);
  return parts.join('; ');
}
