import type { OrderPaidEvent, PaidOrder } from '@igepay/shared';
import { webhookHeaders } from '@igepay/shared/webhook';
import type { ForwardConfig } from '../config/config.js';
import type { DueDelivery } from '../store/order-store.js';

/** The embedding app's handler of paid orders; a throw (or rejection) is retried like a failed delivery. */
export type OnPaid = (order: PaidOrder, event: { readonly id: string }) => unknown;

/** One attempt to deliver: resolves when delivered, rejects with what went wrong. */
export type DeliverOnce = (delivery: DueDelivery) => Promise<void>;

const TIMEOUT_MS = 10_000;

/**
 * POSTs the event's stored body to the merchant's endpoint, signed as Standard Webhooks
 * specifies (`webhook-id`, `webhook-timestamp`, `webhook-signature`), the id also as
 * `Idempotency-Key`: a resend is byte for byte the same event under the same id, signed anew.
 * Any 2xx counts.
 */
export function forwardSink(forward: ForwardConfig, now: () => number, livemode = true): DeliverOnce {
  return async ({ event }) => {
    const timestamp = Math.floor(now() / 1000);
    let response: Response;
    try {
      response = await fetch(forward.url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'user-agent': 'igepay-checkout',
          ...webhookHeaders(event.id, timestamp, event.body, forward.secret.reveal()),
          'igepay-event-type': event.type,
          'idempotency-key': event.id,
          // Sandbox events say so before the body is read (it says so too: `livemode`).
          ...(!livemode && { 'igepay-sandbox': '1' }),
        },
        body: event.body,
        redirect: 'manual',
        signal: AbortSignal.timeout(TIMEOUT_MS),
      });
    } catch (error) {
      const cause = error instanceof Error && error.cause instanceof Error ? error.cause : error;
      throw new Error(`no reply: ${cause instanceof Error ? cause.message : String(cause)}`);
    }
    await response.body?.cancel();
    if (response.status < 200 || response.status > 299) throw new Error(`HTTP ${response.status}`);
  };
}

/** Calls the embedding app's `onPaid` for paid orders; other events need nothing from it. */
export function callbackSink(onPaid: OnPaid): DeliverOnce {
  return async ({ event }) => {
    if (event.type !== 'order.paid') return;
    const { data } = JSON.parse(event.body) as OrderPaidEvent;
    await onPaid(data, { id: event.id });
  };
}
