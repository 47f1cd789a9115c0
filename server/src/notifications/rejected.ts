import { redactSecrets } from '../config/secret.js';
import type { RejectedNotification, RejectedReason } from '../store/order-store.js';

/** How many refused notifications are kept: the most recent, older ones are dropped. */
export const REJECTED_KEPT = 1000;

const MAX_FIELDS = 40;
const MAX_NAME = 64;
const MAX_VALUE = 512;
const MAX_EXCERPT = 2048;
const MAX_CONTENT_TYPE = 200;

/** What the route knows about a refused notification. */
export interface RejectedInput {
  readonly reason: RejectedReason;
  /** Why, in words (never a secret: it names fields, not values). */
  readonly detail: string;
  readonly receivedAt: number;
  readonly clientAddress: string;
  readonly contentType: string | undefined;
  /** The fields, when the body could be read. */
  readonly fields?: Readonly<Record<string, string>> | undefined;
  /** The raw body, when it could not. */
  readonly raw?: string | undefined;
}

/**
 * A refused notification as it is kept: bounded (so a hostile client cannot fill the
 * database through it) and with `secrets` blanked wherever they appear, although igepay never
 * sends the token (a misconfigured client might).
 */
export function boundedRejected(input: RejectedInput, secrets: readonly string[]): RejectedNotification {
  // Blanked before cutting, so no cut can leave a secret's first part behind.
  const scrub = (text: string) => redactSecrets(text, secrets);
  const cut = (text: string, max: number) => (text.length > max ? `${text.slice(0, max)}…` : text);
  const fields =
    input.fields === undefined
      ? null
      : Object.fromEntries(
          Object.entries(input.fields)
            .slice(0, MAX_FIELDS)
            .map(([name, value]) => [cut(scrub(name), MAX_NAME), cut(scrub(value), MAX_VALUE)]),
        );
  return {
    reason: input.reason,
    detail: cut(scrub(input.detail), 300),
    receivedAt: input.receivedAt,
    clientAddress: cut(input.clientAddress, 64),
    contentType: input.contentType === undefined ? null : cut(scrub(input.contentType), MAX_CONTENT_TYPE),
    fields,
    excerpt:
      fields === null && input.raw !== undefined && input.raw !== ''
        ? cut(scrub(input.raw), MAX_EXCERPT)
        : null,
  };
}
