import type { OrderPaidEvent, PaidOrder } from '@igepay/shared';
import { webhookHeaders } from '@igepay/shared/webhook';
import type { ForwardConfig } from '../config/config.js';
import type { DueDelivery } from '../store/order-store.js';

/** The embedding app's handler of paid orders; a throw (or rejection) is retried like a failed delivery. */
export type OnPaid = (order: PaidOrder, event: { readonly id: string }) => unknown;

/** One attempt to deliver: resolves when delivered, rejects with what went wrong. */
/**
 * Delivers one event once; resolves with what the receiver answered (kept with the attempt, for
 * the order's timeline), rejects when it must be tried again.
 */
export type DeliverOnce = (delivery: DueDelivery) => Promise<string | undefined>;

/** How much of a receiver's reply is kept with the attempt. */
const REPLY_EXCERPT = 200;

/** The first bytes of a body, never the whole: a receiver may answer with anything. */
async function startOf(response: Response, bytes: number): Promise<string> {
  const reader = response.body?.getReader();
  if (!reader) return '';
  const chunks: Uint8Array[] = [];
  let length = 0;
  try {
    while (length < bytes) {
      const { done, value } = await reader.read();
      if (done) break;
      chunks.push(value);
      length += value.length;
    }
  } catch {
    // A reply cut short is still a reply: keep what came.
  } finally {
    await reader.cancel().catch(() => {});
  }
  return Buffer.concat(chunks).subarray(0, bytes).toString('utf8');
}

/** `HTTP 200` and the start of the body, on one line. */
async function replyOf(response: Response): Promise<string> {
  const text = await startOf(response, REPLY_EXCERPT * 4);
  const excerpt = text.replace(/\s+/g, ' ').trim().slice(0, REPLY_EXCERPT);
  return excerpt ? `HTTP ${response.status}: ${excerpt}` : `HTTP ${response.status}`;
}

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
    const reply = await replyOf(response);
    if (response.status < 200 || response.status > 299) throw new Error(reply);
    return reply;
  };
}

/** Calls the embedding app's `onPaid` for paid orders; other events need nothing from it. */
export function callbackSink(onPaid: OnPaid): DeliverOnce {
  return async ({ event }) => {
    if (event.type !== 'order.paid') return 'not for onPaid';
    const { data } = JSON.parse(event.body) as OrderPaidEvent;
    await onPaid(data, { id: event.id });
    return 'onPaid returned';
  };
}
