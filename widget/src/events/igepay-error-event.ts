/** Fired when a checkout cannot go on; the element shows the same message. */
export class IgepayErrorEvent extends Event {
  static readonly eventName = 'igepay-error';

  constructor(
    /** The server's error code (`4006`), or `0` for a network failure. */
    readonly code: number,
    /** What went wrong, in the element's language. */
    readonly message: string,
  ) {
    super(IgepayErrorEvent.eventName, { bubbles: true, composed: true });
  }

  /** The event's details. */
  get detail(): { code: number; message: string } {
    return { code: this.code, message: this.message };
  }
}
