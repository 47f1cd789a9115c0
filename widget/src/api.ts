import type { CheckoutRequest, CheckoutResponse, OrderView, PublicConfig } from '@igepay/shared';
import { CHECKOUT_PATH, CONFIG_PATH, NETWORK_ERROR_CODE, orderPath } from '@igepay/shared/browser';

/** A failed call to the signing server: its `{ code, msg }`, or code `0` when it could not be reached. */
export class ServerError extends Error {
  constructor(
    readonly code: number,
    message: string,
    /** The HTTP status, or `0` for a network failure. */
    readonly status: number,
    /** Milliseconds the server asked to wait before the next try (`Retry-After`); 0 or NaN when it did not. */
    readonly retryAfter?: number,
  ) {
    super(message);
  }
}

async function call<T>(url: string, init: RequestInit = {}): Promise<T> {
  let response: Response;
  try {
    response = await fetch(url, { ...init, credentials: 'omit', cache: 'no-store' });
  } catch (error) {
    if (init.signal?.aborted) throw error;
    throw new ServerError(NETWORK_ERROR_CODE, String(error), 0);
  }
  const body = (await response.json().catch(() => ({}))) as { code?: number; msg?: string };
  if (!response.ok) {
    throw new ServerError(
      body.code ?? NETWORK_ERROR_CODE,
      body.msg ?? response.statusText,
      response.status,
      // Seconds; no header reads as 0.
      1000 * +(response.headers.get('retry-after') ?? 0),
    );
  }
  return body as T;
}

const configs = new Map<string, Promise<PublicConfig>>();

/**
 * The server's public settings (bounds, catalog) and what it makes of an element with `query`
 * (`?product=...` or `?price=...`), fetched once per server and query per page.
 */
export function loadConfig(server: string, query: string): Promise<PublicConfig> {
  const url = `${server}${CONFIG_PATH}${query}`;
  let config = configs.get(url);
  if (!config) {
    config = call<PublicConfig>(url).then((body) =>
      // Some other server (an app's own, when no `server` is set) answers with no settings.
      body.products ? body : Promise.reject(new ServerError(NETWORK_ERROR_CODE, '', 200)),
    );
    // A failed fetch is not remembered: the next element (or retry) asks again.
    config.catch(() => configs.delete(url));
    configs.set(url, config);
  }
  return config;
}

/** `POST /api/checkout`: the order, its secret, and the form to post to igepay. */
export function createCheckout(server: string, body: CheckoutRequest): Promise<CheckoutResponse> {
  return call<CheckoutResponse>(`${server}${CHECKOUT_PATH}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
}

/** `GET /api/orders/:id`, held by the server up to `wait` seconds while the order is pending. */
export function orderStatus(
  server: string,
  order: { order_id: string; client_secret: string },
  wait: number,
  signal: AbortSignal,
): Promise<OrderView> {
  const query = `client_secret=${encodeURIComponent(order.client_secret)}&wait=${wait}`;
  return call<OrderView>(`${server}${orderPath(order.order_id)}?${query}`, { signal });
}
