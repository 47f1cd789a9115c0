/**
 * Money handling for igepay amounts (yuan with 2 decimals).
 *
 * Inside the project every amount is an integer number of cents (fen). Strings are parsed
 * and formatted digit by digit, never through floating point, so `0.1 + 0.2` problems
 * cannot reach a signature or a comparison.
 */

/** The largest amount we accept: 10 integer digits keep every cent value a safe integer. */
export const MAX_CENTS = 9_999_999_999_99;

// Digits only: no sign, exponent, spaces, leading zeros ("007"), or bare "." forms.
const LENIENT = /^(0|[1-9]\d{0,9})(?:\.(\d{1,2}))?$/;
const EXACT = /^(0|[1-9]\d{0,9})\.(\d{2})$/;

/** Options for {@link parsePrice}. */
export interface ParsePriceOptions {
  /**
   * Require exactly two decimals (`10.00`), as the gateway's pay request does
   * (docs/protocol.md §1.1). Default `false`: `10`, `10.5` and `10.50` are all accepted.
   */
  readonly exactDecimals?: boolean;
}

/**
 * Parses a yuan amount such as `"12.30"` into integer cents (`1230`).
 * Returns `undefined` for anything that is not a plain non-negative decimal with at most two
 * decimals: more decimals, exponents, signs, spaces, leading zeros and non-strings are refused.
 */
export function parsePrice(text: unknown, options: ParsePriceOptions = {}): number | undefined {
  if (typeof text !== 'string') return undefined;
  const match = (options.exactDecimals ? EXACT : LENIENT).exec(text);
  if (!match) return undefined;
  const whole = match[1] ?? '0';
  const fraction = (match[2] ?? '').padEnd(2, '0');
  return Number(whole) * 100 + Number(fraction);
}

/** Formats integer cents as the gateway's exact 2-decimal string: `1230` -> `"12.30"`. */
export function formatPrice(cents: number): string {
  if (!Number.isSafeInteger(cents) || cents < 0 || cents > MAX_CENTS) {
    throw new RangeError(`not a valid amount in cents: ${String(cents)}`);
  }
  const whole = Math.trunc(cents / 100);
  const fraction = cents % 100;
  return `${whole}.${fraction < 10 ? '0' : ''}${fraction}`;
}

/**
 * True when a received price string denotes exactly `cents`: `"12.3"` and `"12.30"` both
 * equal `1230`, `"12"` equals `1200`; anything unparseable equals nothing.
 */
export function priceEquals(text: unknown, cents: number): boolean {
  const parsed = parsePrice(text);
  return parsed !== undefined && parsed === cents;
}

/** `1288.00` as `1,288.00`: thousands grouped, as Chinese and English both write amounts. */
export function groupedPrice(price: string): string {
  return price.replace(/^\d+/, (whole) => whole.replace(/\B(?=(\d{3})+$)/g, ','));
}

/**
 * An amount as a person reads it: `¥1,288.00` for `1288.00`. The element, the dashboard and the
 * `igepay` command show amounts so; CSV and JSON keep the plain 2-decimal string.
 */
export function yuan(price: string): string {
  return `¥${groupedPrice(price)}`;
}
