import { CHANNELS, type Channel, formatPrice, type Overview, type Takings } from '@igepay/shared';
import type {
  NotificationsStore,
  OrdersStore,
  OutboxStore,
  ReportsStore,
  TakingsRow,
} from '../store/order-store.js';
import { dayOf } from '../store/rows.js';

const DAY_MS = 86_400_000;
/** Days the chart shows, today included. */
export const CHART_DAYS = 30;

function sum(rows: readonly TakingsRow[]): Takings {
  const cents = Object.fromEntries(CHANNELS.map((channel) => [channel, 0])) as Record<Channel, number>;
  let count = 0;
  for (const row of rows) {
    cents[row.channel] += row.cents;
    count += row.count;
  }
  const total = CHANNELS.reduce((all, channel) => all + cents[channel], 0);
  return {
    total: formatPrice(total),
    count,
    by_channel: Object.fromEntries(
      CHANNELS.map((channel) => [channel, formatPrice(cents[channel])]),
    ) as Record<Channel, string>,
  };
}

/**
 * The overview at `now` in a time zone `offsetMinutes` ahead of UTC, from the same store
 * queries the `igepay` command uses.
 */
export async function overviewOf(
  store: ReportsStore &
    Pick<NotificationsStore, 'countRejected'> &
    Pick<OutboxStore, 'outboxStats'> &
    Pick<OrdersStore, 'mode'>,
  now: number,
  offsetMinutes: number,
): Promise<Overview> {
  const offset = offsetMinutes * 60_000;
  const today = Math.floor((now + offset) / DAY_MS);
  const first = today - (CHART_DAYS - 1);
  const [rows, late, outbox, rejected] = await Promise.all([
    store.takings({ since: first * DAY_MS - offset, offsetMinutes }),
    store.countLate(),
    store.outboxStats(),
    store.countRejected(),
  ]);
  const since = (days: number) => rows.filter((row) => row.day >= dayOf(today - (days - 1)));
  const daily = Array.from({ length: CHART_DAYS }, (_, i) => {
    const day = dayOf(first + i);
    return { day, ...sum(rows.filter((row) => row.day === day)) };
  });
  return {
    livemode: store.mode === 'live',
    today: sum(since(1)),
    last_7_days: sum(since(7)),
    last_30_days: sum(rows),
    daily,
    attention: {
      unapplied_notifications: outbox.unappliedNotifications,
      late_payments: late,
      undelivered_events: outbox.pendingDeliveries,
      oldest_undelivered_at:
        outbox.oldestPendingAt === null ? null : new Date(outbox.oldestPendingAt).toISOString(),
      rejected_notifications: rejected,
    },
  };
}
