/** The details of `igepay-order`. */
export interface IgepayOrderDetail {
  /** The server-made order id. */
  readonly order_id: string;
}

/** Fired when the server has created the order, before the buyer pays. */
export class IgepayOrderEvent extends CustomEvent<IgepayOrderDetail> {
  static readonly eventName = 'igepay-order';

  constructor(detail: IgepayOrderDetail) {
    super(IgepayOrderEvent.eventName, { detail, bubbles: true, composed: true });
  }
}
