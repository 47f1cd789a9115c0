import { GatewayError } from './errors.js';

/**
 * Parses a form body (`application/x-www-form-urlencoded`) and refuses one that is not UTF-8
 * (docs/protocol.md §1.1): a page in another charset posts its bytes, which would otherwise decode
 * to replacement characters and fail the key check with no clue why. Repeated fields become
 * arrays, so validation can say "must be sent once".
 */
export function parseUtf8Form(body: string): Record<string, string | string[]> {
  if (body.includes('\uFFFD'))
    throw new GatewayError('BAD_ENCODING', ['the body has bytes that are not UTF-8']);
  for (const part of body.split('&')) {
    try {
      decodeURIComponent(part.replace(/\+/g, ' '));
    } catch {
      throw new GatewayError('BAD_ENCODING', [
        `${part.split('=')[0]?.slice(0, 40)}: not UTF-8 percent-encoding (post the form with accept-charset="utf-8")`,
      ]);
    }
  }
  const fields: Record<string, string | string[]> = Object.create(null);
  for (const [name, value] of new URLSearchParams(body)) {
    const previous = fields[name];
    fields[name] =
      previous === undefined ? value : [...(Array.isArray(previous) ? previous : [previous]), value];
  }
  return fields;
}
