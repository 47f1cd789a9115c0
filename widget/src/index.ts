/**
 * `@igepay/widget`: the `<igepay-button>` element. Importing this module defines it.
 *
 * This entry is unbundled: it imports `lit-html` (a dependency), so an app that already uses
 * Lit ships one copy. `@igepay/widget/widget.js` is the same element bundled with lit-html into
 * one file, as the signing server serves it at `/widget.js` for a plain `<script type="module">`.
 * On a server (a page rendered by Next.js or Nuxt) this module loads and defines nothing.
 */
export { type IgepayCancelDetail, IgepayCancelEvent } from './events/igepay-cancel-event.js';
export { type IgepayErrorDetail, IgepayErrorEvent } from './events/igepay-error-event.js';
export { type IgepayOrderDetail, IgepayOrderEvent } from './events/igepay-order-event.js';
export { type IgepayPaidDetail, IgepayPaidEvent } from './events/igepay-paid-event.js';
export type { Lang } from './i18n.js';
export { IgepayButton } from './igepay-button.js';
export { type ActiveOrder, type CheckoutState, ORDER_EXPIRED, PAYMENT_FAILED } from './state.js';
