import type { Channel } from '@igepay/shared';

/** Fired once per order when the server has verified igepay's payment notification. */
export class IgepayPaidEvent extends Event {
  static readonly eventName = 'igepay-paid';

  constructor(
    readonly orderId: string,
    /** The amount paid, exactly 2 decimals (`12.30`). */
    readonly price: string,
    readonly channel: Channel,
  ) {
    super(IgepayPaidEvent.eventName, { bubbles: true, composed: true });
  }

  /** The event's details in the protocol's names. */
  get detail(): { order_id: string; price: string; channel: Channel } {
    return { order_id: this.orderId, price: this.price, channel: this.channel };
  }
}
