/** The details of `igepay-error`. */
export interface IgepayErrorDetail {
  /** The server's error code (`4006`); `0` for a network failure; 4020 payment failed; 4100 order expired. */
  readonly code: number;
  /** What went wrong, for the buyer, in the element's language (what the element shows). */
  readonly message: string;
  /** The server's own message, in English, for the developer (also logged to the console). */
  readonly serverMessage?: string;
}

/** Fired when a checkout cannot go on; the element shows the same message. */
export class IgepayErrorEvent extends CustomEvent<IgepayErrorDetail> {
  static readonly eventName = 'igepay-error';

  constructor(detail: IgepayErrorDetail) {
    super(IgepayErrorEvent.eventName, { detail, bubbles: true, composed: true });
  }
}
