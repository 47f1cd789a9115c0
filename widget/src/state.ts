import type { Channel, CheckoutResponse, OrderView } from '@igepay/shared';
import { ORDER_EXPIRED_CODE, PAYMENT_FAILED_CODE } from '@igepay/shared/browser';

/** An order the element is following (also what it keeps across reloads until the order ends). */
export interface ActiveOrder {
  readonly order_id: string;
  readonly client_secret: string;
  /** Exactly 2 decimals, as the server signed it. */
  readonly price: string;
  readonly channel: Channel;
  /** The signed form to post to igepay again ("continue paying": igepay shows the same payment). */
  readonly gateway: CheckoutResponse['gateway'];
  /** `redirect` when the page itself went to igepay's (a popup's order has none). */
  readonly via?: 'popup' | 'redirect';
}

/** Where the element's checkout is: one typed union, rendered by the element. */
export type CheckoutState =
  | { readonly kind: 'ready' }
  | { readonly kind: 'creating' }
  | {
      readonly kind: 'waiting';
      readonly order: ActiveOrder;
      /**
       * No payment window of this page is known to be open: the buyer came back from igepay or
       * reloaded the page. The order may still be paid; the buyer may continue or start over.
       */
      readonly away: boolean;
      /**
       * igepay sent the buyer back (it does so after a payment), and the server has not confirmed
       * it yet: nothing is offered to pay until it answers.
       */
      readonly confirming?: boolean;
    }
  | {
      /**
       * `cancelled`: the buyer closed the payment window unpaid; `expired`: the order ran out of
       * time. Either way the buyer may start afresh, and a late payment still shows while
       * `listening`.
       */
      readonly kind: 'cancelled' | 'expired';
      readonly order: ActiveOrder;
      readonly listening: boolean;
    }
  | {
      readonly kind: 'paid' | 'failed';
      readonly order: ActiveOrder;
      /** The server's view of the finished order (the receipt's facts). */
      readonly view: OrderView;
    }
  | { readonly kind: 'error'; readonly code: number; readonly message: string };

/** `code` of `igepay-error` when the payment itself failed (`WIDGET_ERRORS` of `@igepay/shared`). */
export const PAYMENT_FAILED = PAYMENT_FAILED_CODE;
/** `code` of `igepay-error` when the order expired before it was paid. */
export const ORDER_EXPIRED = ORDER_EXPIRED_CODE;
