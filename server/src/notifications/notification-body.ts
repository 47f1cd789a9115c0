/**
 * Reads a notification body however a PHP gateway may post it (docs/protocol.md §1.6): a form
 * (with the right content type, a wrong one or none), `multipart/form-data` (parsed by
 * @fastify/multipart into an object before it gets here), or JSON. Every value becomes the
 * string it was sent as, so the `sign` is checked on what igepay signed.
 */

import querystring from 'fast-querystring';

/** The fields the `sign` covers: one of them sent twice makes a notification ambiguous. */
const SIGNED_FIELDS = new Set(['order_id', 'price', 'sign']);

/** More fields than any notification has: beyond this, a body is not one. */
const MAX_FIELDS = 100;

/** A body read into fields, or why it could not be. */
export type ReadNotification =
  | { readonly ok: true; readonly fields: Readonly<Record<string, string>> }
  | { readonly ok: false; readonly why: string };

/**
 * The notification's fields from a body as the route received it: a string (forms, JSON and
 * text, read raw) or an object (multipart fields). A signed field sent twice, a body that is
 * neither a form nor a JSON object, and nested values make it unreadable; an unsigned field
 * sent twice counts as its last value, as PHP reads it.
 */
export function readNotificationBody(body: unknown): ReadNotification {
  let entries: Iterable<[string, unknown]>;
  if (typeof body === 'string') {
    const text = body.trim();
    if (text === '') return { ok: false, why: 'the body is empty' };
    if (text.startsWith('{') || text.startsWith('[')) {
      let parsed: unknown;
      try {
        parsed = JSON.parse(text);
      } catch {
        return { ok: false, why: 'the body starts like JSON but is not valid JSON' };
      }
      if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
        return { ok: false, why: 'the JSON body is not an object of fields' };
      }
      entries = Object.entries(parsed);
    } else {
      // Fastify's own query-string parser: faster than URLSearchParams (profiled), repeats as arrays.
      entries = Object.entries(querystring.parse(text));
    }
  } else if (typeof body === 'object' && body !== null && !Array.isArray(body)) {
    entries = Object.entries(body);
  } else {
    return { ok: false, why: 'the body is empty' };
  }

  // No prototype: a field named `__proto__` or `constructor` is just a field.
  const fields: Record<string, string> = Object.create(null);
  let count = 0;
  for (const [name, raw] of entries) {
    if (++count > MAX_FIELDS) return { ok: false, why: `the body has more than ${MAX_FIELDS} fields` };
    const values = Array.isArray(raw) ? raw : [raw];
    const repeated = name in fields || values.length > 1;
    if (repeated && SIGNED_FIELDS.has(name)) return { ok: false, why: `${name} is sent more than once` };
    const value = values.at(-1);
    if (typeof value === 'string') fields[name] = value;
    else if (typeof value === 'number' || typeof value === 'boolean') fields[name] = String(value);
    else if (SIGNED_FIELDS.has(name)) return { ok: false, why: `${name} is not text` };
  }
  return { ok: true, fields };
}
