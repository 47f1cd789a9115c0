/** The details of `igepay-cancel`. */
export interface IgepayCancelDetail {
  /** The order given up on; it stays pending on the server until it expires. */
  readonly order_id: string;
}

/** Fired when the buyer stops waiting for a payment. */
export class IgepayCancelEvent extends CustomEvent<IgepayCancelDetail> {
  static readonly eventName = 'igepay-cancel';

  constructor(detail: IgepayCancelDetail) {
    super(IgepayCancelEvent.eventName, { detail, bubbles: true, composed: true });
  }
}
