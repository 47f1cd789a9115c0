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
