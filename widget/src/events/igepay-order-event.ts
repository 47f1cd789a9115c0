/** Fired when the server has created the order, before the buyer pays. */
export class IgepayOrderEvent extends Event {
  static readonly eventName = 'igepay-order';

  constructor(
    /** The server-made order id. */
    readonly orderId: string,
  ) {
    super(IgepayOrderEvent.eventName, { bubbles: true, composed: true });
  }

  /** The event's details in the protocol's names. */
  get detail(): { order_id: string } {
    return { order_id: this.orderId };
  }
}
