import type { Channel, EchoMismatch, OrderStatus } from '@igepay/shared';
import type { PaymentStanding } from '@igepay/shared/signing';
import type { StoreMode } from '../mode.js';

/** An order as stored. Times are milliseconds since the epoch; amounts are integer cents. */
export interface OrderRecord {
  readonly orderId: string;
  /** SHA-256 (hex) of the client secret; the secret itself is never stored. */
  readonly clientSecretHash: string;
  readonly status: OrderStatus;
  readonly priceCents: number;
  readonly channel: Channel;
  readonly product: string | null;
  readonly orderName: string | null;
  readonly orderUid: string | null;
  /** The request key we signed the order with; igepay echoes it in the notification. */
  readonly requestKey: string;
  readonly createdAt: number;
  readonly expiresAt: number;
  readonly paidAt: number | null;
  readonly payNum: string | null;
  readonly transactionId: string | null;
  /** Paid after the order had expired (or failed): real money, recorded all the same. */
  readonly late: boolean;
  /** The gateway `code` of a failed payment. */
  readonly failureCode: string | null;
  /** Redirect mode: the merchant page the return page sends the buyer back to. */
  readonly returnTo: string | null;
  /** What the paying notification echoed differently (docs/protocol.md §1.6); `null` when it agreed. */
  readonly echoMismatch: EchoMismatch | null;
}

/** What a new order needs; it starts `pending`. */
export type NewOrder = Omit<
  OrderRecord,
  'status' | 'paidAt' | 'payNum' | 'transactionId' | 'late' | 'failureCode' | 'echoMismatch'
>;

/** A verified payment to record on an order, if the order is the one igepay describes. */
export interface Payment {
  readonly orderId: string;
  readonly payNum: string;
  readonly transactionId: string | null;
  readonly paidAt: number;
  /**
   * The request key igepay echoed, when it must equal the order's (`IGEPAY_STRICT_KEY_ECHO=1`);
   * `null` when the key does not decide (the default).
   */
  readonly requestKey: string | null;
  /** The amount igepay reports, in cents (`-1` when unreadable): it must equal the order's. */
  readonly priceCents: number;
  /**
   * What the notification echoed (each cut to 200 characters; `null` when not sent). The
   * engine records how it differs from the order on the change to paid, as `echoMismatch` of
   * `@igepay/shared/signing` tells it.
   */
  readonly echo: PaymentEcho;
  /**
   * The notification's fields as received, without its `sign`: kept with the order when this
   * payment pays it, for the order's timeline. Without them, none is kept.
   */
  readonly fields?: Readonly<Record<string, string>> | undefined;
}

/** The unsigned fields a notification echoes, as received. */
export interface PaymentEcho {
  readonly key: string | null;
  readonly orderUid: string | null;
}

/** The result of {@link OrdersStore.markPaid}. */
export type MarkPaidResult =
  /**
   * This call moved the order to `paid`; `late` when it had expired or failed first;
   * `echoMismatch`: what the notification echoed differently (recorded on the order).
   */
  | { readonly outcome: 'paid'; readonly late: boolean; readonly echoMismatch: EchoMismatch | null }
  /**
   * Nothing changed, and why (`classifyPayment` of `@igepay/shared/signing`): the order is
   * unknown, is paid already (by this payment or another), or differs in key or amount.
   */
  | {
      readonly outcome: Exclude<PaymentStanding, 'payable'>;
      readonly order: OrderRecord | undefined;
    };

/** An order's status changed; long polls waiting on it wake. */
export interface OrderChange {
  readonly orderId: string;
  readonly status: OrderStatus;
}

/**
 * The orders themselves: made, read, paid, failed and expired, and their changes announced.
 * Checkout, the long poll, notifications and the expiry sweep use it.
 */
export interface OrdersStore {
  /**
   * Which kind of server the database belongs to: fixed when it is first opened, and baked into
   * every event body (`livemode`).
   */
  readonly mode: StoreMode;

  /** Stores a new `pending` order. */
  createOrder(order: NewOrder): Promise<void>;

  /** Reads one order, or `undefined`. */
  getOrder(orderId: string): Promise<OrderRecord | undefined>;

  /**
   * Conditionally moves an order to `paid`, once, in one transaction: only when its amount (and
   * key, when the payment names one) are the payment's and it is not paid already (`pending`, `failed` or `expired`;
   * the latter two flag it `late`). Two concurrent calls for one order give exactly one
   * `paid` outcome. Otherwise returns why, with the order as it stands.
   */
  markPaid(payment: Payment): Promise<MarkPaidResult>;

  /** Moves a `pending` order to `failed` with the gateway's code; false if it was not pending. */
  markFailed(orderId: string, code: string, at: number): Promise<boolean>;

  /** Moves every `pending` order whose time ran out by `now` to `expired`; returns their ids. */
  expireDue(now: number): Promise<string[]>;

  /**
   * Calls `listener` after every committed status change (in this process now; across
   * processes for engines that can, e.g. PostgreSQL LISTEN/NOTIFY). Returns an unsubscribe.
   */
  onChange(listener: (change: OrderChange) => void): () => void;

  /**
   * Engines that hear other processes' changes over a connection call `listener` when some
   * may have gone unheard (the connection dropped); listeners re-read what they wait on.
   */
  onMissedChanges?(listener: () => void): () => void;

  /**
   * The store's clock, in epoch milliseconds, for a store several instances share: the
   * database's, so that every instance dates and expires orders alike whatever its own clock
   * says. Absent for a store of one instance (the machine's clock is the one clock).
   */
  now?(): number;
}
