import type {
  DeliveryResult,
  DueDelivery,
  EventRecord,
  OutboxStats,
  OutboxStore,
  Sink,
} from '../order-store.js';
import { type DeliveryRow, type EventRow, toDelivery, toEvent } from '../rows.js';
import type { PgCore } from './core.js';

const SQL = {
  listEvents: 'SELECT * FROM events ORDER BY created_at DESC, id DESC LIMIT $1',
  getEvent: 'SELECT * FROM events WHERE id = $1',
  deliveriesOf: 'SELECT * FROM deliveries WHERE event_id = ANY($1::text[]) ORDER BY event_id, sink',
  // Claims: SKIP LOCKED hands each due delivery to one instance, and moving its next attempt
  // to the claim's end keeps the others off it until then (or for good, once recorded).
  claimDue: `
    WITH due AS (
      SELECT event_id, sink FROM deliveries
      WHERE state = 'pending' AND next_attempt_at <= $1
      ORDER BY next_attempt_at LIMIT $2 FOR UPDATE SKIP LOCKED
    ), claimed AS (
      UPDATE deliveries d SET next_attempt_at = $3 FROM due
      WHERE d.event_id = due.event_id AND d.sink = due.sink
      RETURNING d.event_id, d.sink, d.attempts
    )
    SELECT e.*, claimed.sink, claimed.attempts FROM claimed JOIN events e ON e.id = claimed.event_id
    ORDER BY e.created_at, e.id, claimed.sink`,
  // The attempt is kept only when it was the pending delivery's (a redelivery raced it otherwise).
  deliveryDone: `
    WITH d AS (
      UPDATE deliveries SET state = $3, attempts = attempts + 1, next_attempt_at = $4,
        last_error = $5, delivered_at = $6
      WHERE event_id = $1 AND sink = $2 AND state = 'pending' RETURNING event_id
    )
    INSERT INTO delivery_attempts (event_id, sink, at, ok, reply)
    SELECT event_id, $2, $7, $3 = 'delivered', $8 FROM d`,
  redeliver: `
    INSERT INTO deliveries (event_id, sink, state, attempts, next_attempt_at)
    SELECT $1, sink, 'pending', 0, $3 FROM unnest($2::text[]) AS sink
    ON CONFLICT (event_id, sink) DO UPDATE SET state = 'pending', next_attempt_at = excluded.next_attempt_at`,
  outboxStats: `
    SELECT (SELECT count(*) FROM deliveries WHERE state = 'pending') AS pending,
      (SELECT min(e.created_at) FROM deliveries d JOIN events e ON e.id = d.event_id
        WHERE d.state = 'pending') AS oldest,
      (SELECT count(*) FROM unapplied_notifications WHERE resolved_at IS NULL) AS unapplied`,
};

/** The deliveries of some events, by event and sink, for the facets that show events too. */
export const DELIVERIES_OF = SQL.deliveriesOf;

/** The outbox facet of the PostgreSQL engine. */
export function pgOutbox(core: PgCore): OutboxStore {
  async function withDeliveries(rows: EventRow[]): Promise<EventRecord[]> {
    if (rows.length === 0) return [];
    const deliveries = await core.query<DeliveryRow>(SQL.deliveriesOf, [rows.map((row) => row.id)]);
    return rows.map((row) => ({
      ...toEvent(row),
      deliveries: deliveries.rows.filter((d) => d.event_id === row.id).map(toDelivery),
    }));
  }

  return {
    async listEvents(filter: { readonly limit?: number | undefined } = {}): Promise<EventRecord[]> {
      const { rows } = await core.query<EventRow>(SQL.listEvents, [filter.limit ?? 100]);
      return await withDeliveries(rows);
    },

    async getEvent(eventId: string): Promise<EventRecord | undefined> {
      const { rows } = await core.query<EventRow>(SQL.getEvent, [eventId]);
      return (await withDeliveries(rows))[0];
    },

    async dueDeliveries(now: number, limit: number, claimUntil = now): Promise<DueDelivery[]> {
      const { rows } = await core.query<EventRow & { sink: Sink; attempts: number }>(SQL.claimDue, [
        now,
        limit,
        claimUntil,
      ]);
      return rows.map((row) => ({ event: toEvent(row), sink: row.sink, attempts: row.attempts }));
    },

    async recordDelivery(r: DeliveryResult): Promise<void> {
      await core.query(SQL.deliveryDone, [
        r.eventId,
        r.sink,
        r.state,
        r.nextAttemptAt,
        r.error,
        r.deliveredAt,
        r.attemptedAt,
        r.reply,
      ]);
    },

    async redeliver(eventId: string, sinks: readonly Sink[], at: number): Promise<boolean> {
      return await core.transaction(async (client) => {
        const { rowCount } = await client.query(`${SQL.getEvent} FOR UPDATE`, [eventId]);
        if (rowCount === 0) return false;
        await client.query(SQL.redeliver, [eventId, sinks, at]);
        return true;
      });
    },

    async outboxStats(): Promise<OutboxStats> {
      const { rows } = await core.query<{ pending: string; oldest: number | null; unapplied: string }>(
        SQL.outboxStats,
      );
      const row = rows[0];
      return {
        pendingDeliveries: Number(row?.pending ?? 0),
        oldestPendingAt: row?.oldest ?? null,
        unappliedNotifications: Number(row?.unapplied ?? 0),
      };
    },
  };
}
