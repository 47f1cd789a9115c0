/**
 * Where everything of the signing server lives, relative to its `PUBLIC_URL`: the routes
 * register these, the server builds `notify_url` and `return_url` from them, and the widget
 * calls them. Changing one here changes all three.
 */
export const API_PATHS = {
  /** `POST`: create, store and sign an order. */
  checkout: '/api/checkout',
  /** `GET`: open-amount bounds and the catalog, for display. */
  config: '/api/config',
  /** `GET`: an order's verified status (the long poll with `wait`). */
  order: '/api/orders/:order_id',
  /** `POST`: igepay's payment notification (`notify_url`). */
  notify: '/api/igepay/notify',
  /** `GET`: where igepay sends the buyer after paying (`return_url`). */
  return: '/api/igepay/return',
  /** `GET`: whether the server and its store are usable. */
  health: '/healthz',
  /** `GET`: the `<igepay-button>` module. */
  widget: '/widget.js',
  /** `GET`: the OpenAPI description of this API. */
  openapi: '/openapi.json',
} as const;

/** The path of one order's status, its id encoded. */
export function orderPath(orderId: string): string {
  return API_PATHS.order.replace(':order_id', encodeURIComponent(orderId));
}

/** The path of one order's return page (what `return_url` points at). */
export function returnPath(orderId: string): string {
  return `${API_PATHS.return}?order_id=${encodeURIComponent(orderId)}`;
}
