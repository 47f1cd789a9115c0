import type { Channel, OrderStatus } from '@igepay/shared';
import type { ReceivedNotification, UnappliedRecord } from './notifications.js';
import type { OrderRecord } from './orders.js';
import type { DeliveryAttempt, EventRecord } from './outbox.js';

/**
 * Everything the store knows of one order, for its timeline: the notifications that paid it,
 * those kept unapplied, and its events with every delivery attempt.
 */
export interface OrderHistory {
  readonly order: OrderRecord | undefined;
  readonly notifications: readonly ReceivedNotification[];
  readonly unapplied: readonly UnappliedRecord[];
  readonly events: ReadonlyArray<EventRecord & { readonly attempts: readonly DeliveryAttempt[] }>;
}

/** Which orders {@link ReportsStore.listOrders} returns, newest first. */
export interface OrderFilter {
  readonly status?: OrderStatus | undefined;
  readonly channel?: Channel | undefined;
  /** A catalog product's key. */
  readonly product?: string | undefined;
  /** Created at or after this time. */
  readonly since?: number | undefined;
  /** Created before this time. */
  readonly until?: number | undefined;
  /**
   * The order id or `order_uid` exactly (by their indexes); when none is, any part of the
   * order's name, case as written (by the index of its characters and pairs of characters).
   */
  readonly search?: string | undefined;
  /** The next page: orders after this one in the list's order (newest first). */
  readonly after?: { readonly createdAt: number; readonly orderId: string } | undefined;
  readonly limit?: number | undefined;
}

/** See {@link ReportsStore.takings}. */
export interface TakingsFilter {
  /** Epoch milliseconds: payments at or after it. */
  readonly since: number;
  /** The merchant's time zone, as minutes ahead of UTC. */
  readonly offsetMinutes: number;
}

/** One local day's payments by one channel. */
export interface TakingsRow {
  /** The local day, `2026-12-02`. */
  readonly day: string;
  readonly channel: Channel;
  readonly cents: number;
  readonly count: number;
}

/**
 * The read model of the dashboard and the CLI: lists, takings and one order's whole history.
 * It only reads.
 */
export interface ReportsStore {
  /** Orders, newest first. */
  listOrders(filter?: OrderFilter): Promise<OrderRecord[]>;

  /**
   * Paid orders since `since` (by when they were paid), summed per local day and channel: the
   * day is counted `offsetMinutes` ahead of UTC (480 for China), as the merchant's calendar.
   */
  takings(filter: TakingsFilter): Promise<TakingsRow[]>;

  /** How many orders were paid late (after they had expired or failed): each needs a look. */
  countLate(): Promise<number>;

  /**
   * One order's history, or the notifications and events of an order id the store does not
   * know (`order` undefined; all empty when nothing names it).
   */
  orderHistory(orderId: string): Promise<OrderHistory>;
}
