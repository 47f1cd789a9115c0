import {
  AcceptedPayRequestSchema,
  HTML_FILTERED,
  htmlSpecialChars,
  type PayFields,
  type PayRequest,
  parsePrice,
} from '@igepay/shared';
import { requestKey, requestKeyContent, safeEqual } from '@igepay/shared/signing';
import type { z } from 'zod';
import { GatewayError } from './errors.js';

/** The sandbox merchant as the simulator knows it. */
export interface SandboxMerchant {
  readonly uid: string;
  /** The token, revealed only to check keys and sign notifications. */
  readonly token: { reveal(): string };
  /** Whether keys include `order_uid` (`IGEPAY_SIGN_ORDER_UID`, docs/protocol.md §1.2). */
  readonly signOrderUid: boolean;
}

/** Field problems in words a merchant can act on: `price: must be ... exactly 2 decimals`. */
function describe(error: z.ZodError, body: Record<string, unknown>): string[] {
  return error.issues.map((issue) => {
    if (issue.code === 'unrecognized_keys') return `unknown field(s): ${issue.keys.join(', ')}`;
    const field = String(issue.path[0] ?? 'body');
    const value = body[field];
    if (value === undefined) return `${field}: is required`;
    if (Array.isArray(value)) return `${field}: must be sent once`;
    if (typeof value !== 'string') return `${field}: must be text`;
    return `${field}: ${issue.message}`;
  });
}

/** A pay request the simulator took, and where it strays from igepay's document. */
export interface CheckedPayRequest {
  readonly request: PayRequest;
  /** Deviations from the document that the gateway family accepts (docs/protocol.md §1.6). */
  readonly notes: readonly string[];
}

/** Options for {@link checkPayRequest}. */
export interface CheckOptions {
  /** The `html-filter` fault: ThinkPHP's input filter runs on the fields before the key check. */
  readonly htmlFilter?: boolean;
  /** Whether the simulator may post notifications to this `notify_url`; default: anywhere. */
  readonly notifyAllowed?: (url: URL) => boolean;
}

/**
 * Whether the simulator may notify `url`: a loopback address (`localhost`, `127.0.0.0/8`,
 * `::1`), or an origin in `origins`. A simulated payment is never sent to a server on the
 * internet, which could be a live one.
 */
export function notifyAllowed(url: URL, origins: readonly string[]): boolean {
  const host = url.hostname.replace(/^\[|\]$/g, '').toLowerCase();
  const loopback =
    host === 'localhost' || host.endsWith('.localhost') || host === '::1' || /^127(\.\d{1,3}){3}$/.test(host);
  return loopback || origins.includes(url.origin);
}

const NAME_FIELDS = ['order_name', 'order_uid'] as const;

/**
 * Checks a pay request as igepay's gateway family would (docs/protocol.md §1.1, §1.2, §1.6):
 * every field against the table (prices of `10`, `10.5` and `10.00` all taken, as this family
 * takes them), then the uid, then the `key` for the merchant's token in constant time. A wrong
 * key is explained by the string that should have been hashed, with the token left out.
 * Deviations from the document that pass are returned as notes.
 */
export function checkPayRequest(
  body: unknown,
  merchant: SandboxMerchant,
  options: CheckOptions = {},
): CheckedPayRequest {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new GatewayError('INVALID_FIELDS', ['the body must be a form of fields']);
  }
  const parsed = AcceptedPayRequestSchema.safeParse(body);
  if (!parsed.success)
    throw new GatewayError('INVALID_FIELDS', describe(parsed.error, body as Record<string, unknown>));
  const request = parsed.data;
  if (request.uid !== merchant.uid) {
    throw new GatewayError('UNKNOWN_MERCHANT', [`uid ${request.uid} is not the sandbox merchant`]);
  }
  const notes: string[] = [];
  if (parsePrice(request.price, { exactDecimals: true }) === undefined) {
    notes.push(
      `price "${request.price}" is not written with exactly 2 decimals, as the document asks (gateways of this family take it)`,
    );
  }
  const filtered = NAME_FIELDS.filter((name) => HTML_FILTERED.test(request[name] ?? ''));
  for (const name of filtered) {
    notes.push(
      `${name} holds & " < > or ': the live gateway's input filter rewrites them before it checks the key, so the key will not match there (IGEPAY_SANDBOX_FAULTS=html-filter reproduces it)`,
    );
  }

  const { key, ...sent } = request;
  // What the gateway's code sees: with ThinkPHP's default filter, every value HTML-escaped.
  const fields: PayFields = options.htmlFilter
    ? (Object.fromEntries(
        Object.entries(sent).map(([name, value]) => [
          name,
          value === undefined ? value : htmlSpecialChars(value),
        ]),
      ) as PayFields)
    : sent;
  const keyOptions = { signOrderUid: merchant.signOrderUid };
  if (!safeEqual(key, requestKey(fields, merchant.token.reveal(), keyOptions))) {
    const reasons = [`key must be the MD5 of ${keyRecipe(fields, keyOptions.signOrderUid)}`];
    if (options.htmlFilter) {
      for (const name of filtered) {
        reasons.push(
          `the gateway's input filter (htmlspecialchars) rewrote ${name} ${JSON.stringify(sent[name])} to ${JSON.stringify(fields[name])} before checking the key: send names without & " < > '`,
        );
      }
    }
    throw new GatewayError('BAD_KEY', reasons);
  }
  const notifyUrl = new URL(request.notify_url);
  if (options.notifyAllowed && !options.notifyAllowed(notifyUrl)) {
    throw new GatewayError('NOTIFY_NOT_ALLOWED', [
      `notify_url ${notifyUrl.origin} is not on this machine: the sandbox notifies loopback addresses, and the origins in IGEPAY_SANDBOX_NOTIFY_URLS`,
    ]);
  }
  return { request, notes };
}

/** The concatenation the key hashes, with `<token>` where the token goes. */
function keyRecipe(fields: PayFields, signOrderUid: boolean): string {
  const marker = '\u0000token\u0000';
  return JSON.stringify(requestKeyContent(fields, marker, { signOrderUid })).replace(
    JSON.stringify(marker).slice(1, -1),
    '<token>',
  );
}
