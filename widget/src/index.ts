/**
 * `@igepay/widget`: the `<igepay-button>` element. Importing this module defines it.
 */
export { IgepayCancelEvent } from './events/igepay-cancel-event.js';
export { IgepayErrorEvent } from './events/igepay-error-event.js';
export { IgepayOrderEvent } from './events/igepay-order-event.js';
export { IgepayPaidEvent } from './events/igepay-paid-event.js';
export type { Lang } from './i18n.js';
export { IgepayButton } from './igepay-button.js';
export { type ActiveOrder, type CheckoutState, ORDER_EXPIRED, PAYMENT_FAILED } from './state.js';
