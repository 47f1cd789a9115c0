/**
 * `@igepay/shared/browser`: the part of the protocol a page needs at run time, without zod
 * (which would triple the widget's size). Types come from the root export.
 */
export { CHANNEL_TYPE, CHANNELS, type Channel } from './channel.js';
export { showControls } from './controls.js';
export {
  ERRORS,
  NETWORK_ERROR_CODE,
  ORDER_EXPIRED_CODE,
  PAYMENT_FAILED_CODE,
  WIDGET_ERRORS,
} from './errors.js';
export { formatPrice, groupedPrice, MAX_CENTS, parsePrice, yuan } from './money.js';
export {
  ADMIN_API,
  ADMIN_PATH,
  CHECKOUT_PATH,
  CONFIG_PATH,
  ORDER_PATH,
  orderPath,
  returnPath,
} from './paths.js';
export { ORDER_STATUSES, OrderStatus } from './status.js';
