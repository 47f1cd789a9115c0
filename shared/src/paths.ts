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

/** The path of one order's status, its id encoded. */
export function orderPath(orderId: string): string {
  return ORDER_PATH.replace(':order_id', encodeURIComponent(orderId));
}

/** The path of one order's return page (what `return_url` points at). */
export function returnPath(orderId: string): string {
  return `${RETURN_PATH}?order_id=${encodeURIComponent(orderId)}`;
}
