/** The details of `igepay-error`. */
export interface IgepayErrorDetail {
  /** The server's error code (`4006`); `0` for a network failure; 4020 payment failed; 4100 order expired. */
  readonly code: number;
  /** What went wrong, in the element's language. */
  readonly message: string;
}

/** Fired when a checkout cannot go on; the element shows the same message. */
export class IgepayErrorEvent extends CustomEvent<IgepayErrorDetail> {
  static readonly eventName = 'igepay-error';

  constructor(detail: IgepayErrorDetail) {
    super(IgepayErrorEvent.eventName, { detail, bubbles: true, composed: true });
  }
}
