import { type PayFields, type PayRequest, PayRequestSchema } from '@igepay/shared';
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

/**
 * Checks a pay request as igepay would (docs/protocol.md §1.1, §1.2): every field against the
 * table, then the uid, then the `key` for the merchant's token in constant time. A wrong key
 * is explained by the string that should have been hashed, with the token left out.
 */
export function checkPayRequest(body: unknown, merchant: SandboxMerchant): PayRequest {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new GatewayError('INVALID_FIELDS', ['the body must be a form of fields']);
  }
  const parsed = PayRequestSchema.safeParse(body);
  if (!parsed.success)
    throw new GatewayError('INVALID_FIELDS', describe(parsed.error, body as Record<string, unknown>));
  const request = parsed.data;
  if (request.uid !== merchant.uid) {
    throw new GatewayError('UNKNOWN_MERCHANT', [`uid ${request.uid} is not the sandbox merchant`]);
  }
  const { key, ...fields } = request;
  const options = { signOrderUid: merchant.signOrderUid };
  if (!safeEqual(key, requestKey(fields, merchant.token.reveal(), options))) {
    throw new GatewayError('BAD_KEY', [`key must be the MD5 of ${keyRecipe(fields, options.signOrderUid)}`]);
  }
  return request;
}

/** The concatenation the key hashes, with `<token>` where the token goes. */
function keyRecipe(fields: PayFields, signOrderUid: boolean): string {
  const marker = '\u0000token\u0000';
  return JSON.stringify(requestKeyContent(fields, marker, { signOrderUid })).replace(
    JSON.stringify(marker).slice(1, -1),
    '<token>',
  );
}
