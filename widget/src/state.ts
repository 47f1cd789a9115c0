import type { Channel, CheckoutResponse } from '@igepay/shared';
import { ORDER_EXPIRED_CODE, PAYMENT_FAILED_CODE } from '@igepay/shared/browser';

/** An order the element is following. */
export interface ActiveOrder {
  readonly order_id: string;
  readonly client_secret: string;
  /** Exactly 2 decimals, as the server signed it. */
  readonly price: string;
  readonly channel: Channel;
  /** The form to post to igepay again ("reopen the payment window"); absent after a redirect. */
  readonly gateway?: CheckoutResponse['gateway'];
}

/** Where the element's checkout is: one typed union, rendered by the element. */
export type CheckoutState =
  | { readonly kind: 'ready' }
  | { readonly kind: 'creating' }
  | {
      readonly kind: 'waiting';
      readonly order: ActiveOrder;
      /** The buyer closed the payment window (the order may still have been paid). */
      readonly popupClosed: boolean;
      /** Redirect mode, or resumed after coming back: there is no window to reopen. */
      readonly redirect: boolean;
    }
  | { readonly kind: 'paid' | 'failed' | 'expired'; readonly order: ActiveOrder }
  | { readonly kind: 'error'; readonly code: number; readonly message: string };

/** `code` of `igepay-error` when the payment itself failed (`WIDGET_ERRORS` of `@igepay/shared`). */
export const PAYMENT_FAILED = PAYMENT_FAILED_CODE;
/** `code` of `igepay-error` when the order expired before it was paid. */
export const ORDER_EXPIRED = ORDER_EXPIRED_CODE;
