import { formatPrice, parsePrice } from '@igepay/shared';
import { checkNotificationSign, notificationSign, safeEqual } from '@igepay/shared/signing';

/** What `igepay verify-notify` concludes about a captured notification. */
export interface Diagnosis {
  readonly ok: boolean;
  /** One line for a human. */
  readonly summary: string;
  /** What was found, for `--json` and for the details under the summary. */
  readonly details: readonly string[];
}

/** Parses a captured notification body: a form (`a=1&b=2`) or JSON. */
export function parseNotificationBody(text: string): Record<string, string> {
  const trimmed = text.trim();
  if (trimmed.startsWith('{')) {
    const parsed = JSON.parse(trimmed) as Record<string, unknown>;
    return Object.fromEntries(Object.entries(parsed).map(([name, value]) => [name, String(value)]));
  }
  return Object.fromEntries(new URLSearchParams(trimmed));
}

/**
 * Checks a notification's `sign` (docs/protocol.md §1.3: MD5 of order_id + price + token) as the
 * server does (the price as received, or the same amount's 2-decimal spelling, §1.6) and, when
 * it is wrong, tries the usual causes: the price formatted otherwise (`12.3` vs `12.30`),
 * stray spaces, values still URL-encoded, or another token.
 */
export function diagnoseNotification(fields: Record<string, string>, token: string): Diagnosis {
  const missing = ['order_id', 'price', 'sign'].filter((name) => fields[name] === undefined);
  if (missing.length > 0) {
    return { ok: false, summary: `Not a notification: ${missing.join(', ')} missing.`, details: [] };
  }
  const orderId = fields.order_id ?? '';
  const price = fields.price ?? '';
  const sign = fields.sign ?? '';
  const details = [
    `sign received: ${sign}`,
    `signed string: order_id + price + token = "${orderId}" + "${price}" + <token>`,
  ];
  // Judged exactly as the server judges it: lowercase hex, as igepay's document has it.
  const check = checkNotificationSign({ order_id: orderId, price, sign }, token);
  if (check === 'as-received') {
    const code =
      fields.code === '0000' ? 'code 0000: a payment' : `code ${fields.code ?? '(none)'}: not a payment`;
    return { ok: true, summary: `The sign is right (${code}).`, details };
  }
  const cents = parsePrice(price);
  if (check === 'respelled') {
    return {
      ok: true,
      summary: `The sign is right for the amount spelled "${formatPrice(cents ?? 0)}" (igepay sent "${price}"): the server accepts it, and compares the amount in cents.`,
      details,
    };
  }
  if (
    sign !== sign.toLowerCase() &&
    checkNotificationSign({ order_id: orderId, price, sign: sign.toLowerCase() }, token)
  ) {
    return {
      ok: false,
      summary:
        'The sign is right but written in uppercase hex: igepay signs in lowercase, and the server refuses it as it is.',
      details,
    };
  }
  const variants: Array<[string, string, string]> = [];
  if (cents !== undefined) {
    for (const other of new Set([
      formatPrice(cents),
      String(cents / 100),
      formatPrice(cents).replace(/\.?0+$/, ''),
    ])) {
      if (other !== price) variants.push([orderId, other, `the price as "${other}" instead of "${price}"`]);
    }
  }
  if (orderId.trim() !== orderId || price.trim() !== price) {
    variants.push([orderId.trim(), price.trim(), 'the values without surrounding spaces']);
  }
  try {
    const [decodedId, decodedPrice] = [decodeURIComponent(orderId), decodeURIComponent(price)];
    if (decodedId !== orderId || decodedPrice !== price) {
      variants.push([decodedId, decodedPrice, 'the values URL-decoded once more']);
    }
  } catch {
    // Not percent-encoded: nothing to try.
  }
  for (const [variantId, variantPrice, what] of variants) {
    if (safeEqual(sign, notificationSign({ order_id: variantId, price: variantPrice }, token))) {
      return {
        ok: false,
        summary: `The sign is wrong for the body as given, but right for ${what}.`,
        details: [
          ...details,
          'Sign the price exactly as igepay sent it, and compare it before changing its format (docs/protocol.md §1.3).',
        ],
      };
    }
  }
  return {
    ok: false,
    summary:
      'The sign is wrong, and no usual mistake explains it: is IGEPAY_TOKEN the token of the merchant this came to?',
    details,
  };
}
