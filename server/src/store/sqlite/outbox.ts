import type {
  DeliveryResult,
  DueDelivery,
  EventRecord,
  OutboxStats,
  OutboxStore,
  Sink,
} from '../order-store.js';
import { type DeliveryRow, type EventRow, toDelivery, toEvent } from '../rows.js';
import type { SqliteCore } from './core.js';
import { type DatabaseSync, readers } from './sqlite.js';

/** An event row with its deliveries, read on `db`: for the outbox and for an order's history. */
export function eventsWithDeliveries(db: DatabaseSync): (row: EventRow) => EventRecord {
  const { deliveriesOf } = readers({
    deliveriesOf: db.prepare('SELECT * FROM deliveries WHERE event_id = ? ORDER BY sink'),
  });
  return (row) => ({
    ...toEvent(row),
    deliveries: (deliveriesOf.all(row.id) as DeliveryRow[]).map(toDelivery),
  });
}

/** The outbox facet of the embedded engine. One process delivers, so nothing is claimed. */
export function sqliteOutbox(core: SqliteCore): OutboxStore {
  const { db, writer } = core;
  const withDeliveries = eventsWithDeliveries(db);
  const sql = readers({
    listEvents: db.prepare('SELECT * FROM events ORDER BY created_at DESC, id DESC LIMIT ?'),
    getEvent: db.prepare('SELECT * FROM events WHERE id = ?'),
    dueDeliveries: db.prepare(`
      SELECT e.*, d.sink, d.attempts FROM deliveries d JOIN events e ON e.id = d.event_id
      WHERE d.state = 'pending' AND d.next_attempt_at <= ? ORDER BY d.next_attempt_at LIMIT ?`),
    outboxStats: db.prepare(`
      SELECT (SELECT count(*) FROM deliveries WHERE state = 'pending') AS pending,
        (SELECT min(e.created_at) FROM deliveries d JOIN events e ON e.id = d.event_id
          WHERE d.state = 'pending') AS oldest,
        (SELECT count(*) FROM unapplied_notifications WHERE resolved_at IS NULL) AS unapplied`),
  });

  return {
    async listEvents(filter: { readonly limit?: number | undefined } = {}): Promise<EventRecord[]> {
      return (sql.listEvents.all(filter.limit ?? 100) as EventRow[]).map(withDeliveries);
    },

    async getEvent(eventId: string): Promise<EventRecord | undefined> {
      const row = sql.getEvent.get(eventId) as EventRow | undefined;
      return row && withDeliveries(row);
    },

    async dueDeliveries(now: number, limit: number): Promise<DueDelivery[]> {
      const rows = sql.dueDeliveries.all(now, limit) as Array<EventRow & { sink: Sink; attempts: number }>;
      return rows.map((row) => ({ event: toEvent(row), sink: row.sink, attempts: row.attempts }));
    },

    async recordDelivery(result: DeliveryResult): Promise<void> {
      await writer.submit('recordDelivery', result);
    },

    async redeliver(eventId: string, sinks: readonly Sink[], at: number): Promise<boolean> {
      return writer.submit('redeliver', { eventId, sinks, at });
    },

    async outboxStats(): Promise<OutboxStats> {
      const row = sql.outboxStats.get() as { pending: number; oldest: number | null; unapplied: number };
      return {
        pendingDeliveries: row.pending,
        oldestPendingAt: row.oldest,
        unappliedNotifications: row.unapplied,
      };
    },
  };
}
