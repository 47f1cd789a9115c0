/**
 * A request's headers, however the framework gives them: Node's object (`request.headers` in
 * Node, Express, Koa or Fastify: lower-case names, a value or a list), a Fetch `Headers`
 * (`request.headers` in Next.js route handlers, Hono, Bun.serve, Deno.serve, Workers) or a `Map`.
 */
export type WebhookRequestHeaders =
  | Readonly<Record<string, string | readonly string[] | undefined>>
  | { get(name: string): string | null | undefined }
  | ReadonlyMap<string, string | readonly string[] | undefined>;

/** The value of header `name` (lower case), the first if several came. */
export function header(headers: WebhookRequestHeaders, name: string): string | undefined {
  let value: unknown;
  if (typeof (headers as { get?: unknown }).get === 'function') {
    // A Fetch Headers or a Map; a Map's keys are taken as given, so try the usual spellings.
    const get = (key: string) => (headers as { get(name: string): unknown }).get(key);
    value =
      get(name) ?? (headers instanceof Map ? (get(titleCase(name)) ?? get(name.toUpperCase())) : undefined);
  } else {
    const record = headers as Readonly<Record<string, unknown>>;
    value = record[name] ?? record[titleCase(name)];
  }
  if (Array.isArray(value)) value = value[0];
  return typeof value === 'string' ? value : undefined;
}

/** `webhook-id` -> `Webhook-Id`. */
function titleCase(name: string): string {
  return name.replace(/(^|-)([a-z])/g, (_match, dash: string, letter: string) => dash + letter.toUpperCase());
}
