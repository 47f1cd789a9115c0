import { z } from 'zod';

// C0 controls and DEL have no place in names shown in igepay's back office or our pages.
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point.
const CONTROL = /[\u0000-\u001f\u007f]/;

/**
 * A string of at most `max` characters (Unicode code points, so `VIP会员` is 5), without
 * control characters: the gateway's `string(n)` columns.
 */
export function gatewayText(max: number) {
  return (
    z
      .string()
      // UTF-16 length bounds the code-point count from above: count code points only when needed.
      .refine((value) => value.length <= max || [...value].length <= max, {
        message: `must be at most ${max} characters`,
      })
      .refine((value) => !CONTROL.test(value), { message: 'must not contain control characters' })
  );
}

/** The characters ThinkPHP's default input filter (`htmlspecialchars`) rewrites (docs/protocol.md §1.6). */
export const HTML_FILTERED = /[&"<>']/;

// C0, DEL and C1 controls; bidirectional marks, embeddings, overrides and isolates, which
// can make a name read differently in igepay's back office than it was written.
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point.
const NAME_FORBIDDEN = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/;

/**
 * A name the merchant sends to the gateway (`order_name`, `order_uid`, a catalog name): at most
 * `max` characters, not blank, and nothing the live gateway would rewrite before checking the
 * key (`& " < > '`), nor control or bidirectional-override characters.
 */
export function gatewayName(max: number) {
  return z
    .string()
    .min(1, 'must not be empty')
    .refine((value) => value.trim() !== '', { message: 'must not be empty or only spaces' })
    .refine((value) => value.length <= max || [...value].length <= max, {
      message: `must be at most ${max} characters`,
    })
    .refine((value) => !HTML_FILTERED.test(value), {
      message: `must not contain & " < > or ' (igepay's gateway rewrites them, so the order's key would not match)`,
    })
    .refine((value) => !NAME_FORBIDDEN.test(value), {
      message: 'must not contain control or text-direction characters',
    });
}

const HTML_ENTITIES: Readonly<Record<string, string>> = {
  '&': '&amp;',
  '"': '&quot;',
  "'": '&#039;',
  '<': '&lt;',
  '>': '&gt;',
};

/**
 * What PHP's `htmlspecialchars` (PHP 8.1+ defaults, ENT_QUOTES) makes of `value`: what
 * ThinkPHP's default input filter does to every posted field before the gateway sees it.
 */
export function htmlSpecialChars(value: string): string {
  return value.replace(/[&"'<>]/g, (char) => HTML_ENTITIES[char] ?? char);
}
