import { z } from 'zod';
import { type ParsePriceOptions, parsePrice } from './money.js';

/**
 * The field schemas every layer uses, so a uid, an amount or a URL is judged the same way in
 * the server's settings, its catalog, its API and the gateway simulator.
 */

/** A merchant uid: the gateway's `int(10)`, as text (docs/protocol.md §1.1). */
export const MerchantUidSchema = z
  .string()
  .regex(/^[1-9]\d{0,9}$/, 'must be a numeric merchant uid of up to 10 digits');

/**
 * A positive amount in yuan, kept as the text it was given (`12.5`): the gateway signs
 * amounts as spelled, so the string itself is what is checked. `exactDecimals` asks for the
 * pay request's exactly-2-decimal form (`12.50`).
 */
export function priceText(options: ParsePriceOptions = {}) {
  return z.string().refine((value) => (parsePrice(value, options) ?? 0) > 0, {
    message: options.exactDecimals
      ? 'must be a positive amount with exactly 2 decimals, e.g. 10.00'
      : 'must be a positive amount in yuan with at most 2 decimals, e.g. 12.50',
  });
}

/** A positive amount in yuan (`12.5`, `12.50`), read as integer cents (`1250`). */
export const PriceCentsSchema = priceText().transform((value) => parsePrice(value) as number);

/** An `http://` or `https://` URL of at most `max` characters. */
export function httpUrl(max = 2000) {
  return z
    .string()
    .max(max, `must be at most ${max} characters`)
    .refine((value) => URL.canParse(value) && /^https?:$/.test(new URL(value).protocol), {
      message: 'must be an http:// or https:// URL',
    });
}

// Controls (C0, DEL, C1), whitespace and the line and paragraph separators: none belongs in a
// URL sent back as a Location header or put in a page.
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point.
const NOT_PRINTABLE = /[\u0000-\u0020\u007f-\u00a0\u1680\u2000-\u200f\u2028-\u202f\u205f\u3000\ufeff]/;

/** True when `url` holds only printable characters (no controls, spaces or line separators). */
export function isPrintableUrl(url: string): boolean {
  return !NOT_PRINTABLE.test(url);
}

/** An `http(s)://` URL of at most `max` characters, printable throughout (see {@link isPrintableUrl}). */
export function printableHttpUrl(max = 2000) {
  return httpUrl(max).refine(isPrintableUrl, {
    message: 'must be a URL of printable characters (no spaces, line breaks or control characters)',
  });
}
