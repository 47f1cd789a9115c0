import type { Channel } from '@igepay/shared/browser';

/** The details of `igepay-paid`. */
export interface IgepayPaidDetail {
  readonly order_id: string;
  /** The amount paid, exactly 2 decimals (`12.30`). */
  readonly price: string;
  readonly channel: Channel;
}

/** Fired once per order when the server has verified igepay's payment notification. */
export class IgepayPaidEvent extends CustomEvent<IgepayPaidDetail> {
  static readonly eventName = 'igepay-paid';

  constructor(detail: IgepayPaidDetail) {
    super(IgepayPaidEvent.eventName, { detail, bubbles: true, composed: true });
  }
}
