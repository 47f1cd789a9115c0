/** Fired when the buyer gives up waiting for a payment. The order stays pending until it expires. */
export class IgepayCancelEvent extends Event {
  static readonly eventName = 'igepay-cancel';

  constructor(
    /** The order given up on. */
    readonly orderId: string,
  ) {
    super(IgepayCancelEvent.eventName, { bubbles: true, composed: true });
  }

  /** The event's details in the protocol's names. */
  get detail(): { order_id: string } {
    return { order_id: this.orderId };
  }
}
