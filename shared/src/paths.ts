/**
 * Where everything of the signing server lives, relative to its `PUBLIC_URL`: the routes
 * register these, the server builds `notify_url` and `return_url` from them, and the widget
 * calls them. Changing one here changes all three. (One constant each, not one object: the
 * widget's bundle keeps only the three it calls.)
 */

/** `POST`: create, store and sign an order. */
export const CHECKOUT_PATH = '/api/checkout';
/** `GET`: open-amount bounds and the catalog, for display. */
export const CONFIG_PATH = '/api/config';
/** `GET`: an order's verified status (the long poll with `wait`). */
export const ORDER_PATH = '/api/orders/:order_id';
/** `POST`: igepay's payment notification (`notify_url`). */
export const NOTIFY_PATH = '/api/igepay/notify';
/** `GET`: where igepay sends the buyer after paying (`return_url`). */
export const RETURN_PATH = '/api/igepay/return';
/** `GET`: whether the server and its store are usable. */
export const HEALTH_PATH = '/healthz';
/** `GET`: the `<igepay-button>` module. */
export const WIDGET_PATH = '/widget.js';
/** `GET`: the OpenAPI description of this API. */
export const OPENAPI_PATH = '/openapi.json';

/** `GET`: the merchant's dashboard (with `IGEPAY_ADMIN_PASSWORD_HASH`); its API is under it. */
export const ADMIN_PATH = '/admin';

/**
 * The dashboard's API, relative to its page ({@link ADMIN_PATH}`/`): the server registers
 * `${ADMIN_PATH}/${path}`, and the page calls each relative to itself, so it works under any
 * prefix. Their replies: `AdminReplies`.
 */
export const ADMIN_API = {
  /** `POST` sign in, `GET` the session, `DELETE` sign out. */
  session: 'api/session',
  /** `DELETE`: every session ends. */
  sessions: 'api/sessions',
  overview: 'api/overview',
  orders: 'api/orders',
  /** The orders the filters select, as CSV. */
  ordersCsv: 'api/orders.csv',
  /** One order's timeline. */
  order: 'api/orders/:order_id',
  unapplied: 'api/unapplied',
  /** `POST`: an unapplied notification dealt with. */
  resolve: 'api/unapplied/:id/resolve',
  /** `POST`: an event delivered again. */
  redeliver: 'api/events/:event_id/redeliver',
  audit: 'api/audit',
} as const;

/** The path of one order's status, its id encoded. */
export function orderPath(orderId: string): string {
  return ORDER_PATH.replace(':order_id', encodeURIComponent(orderId));
}

/** The path of one order's return page (what `return_url` points at). */
export function returnPath(orderId: string): string {
  return `${RETURN_PATH}?order_id=${encodeURIComponent(orderId)}`;
}
