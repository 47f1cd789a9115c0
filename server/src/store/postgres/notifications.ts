import { unappliedEventBody } from '../event-bodies.js';
import type {
  NotificationsStore,
  ReceivedNotification,
  RejectedNotification,
  RejectedRecord,
  UnappliedNotification,
  UnappliedRecord,
} from '../order-store.js';
import {
  type RejectedRow,
  storedRejected,
  storedUnapplied,
  toRejected,
  toUnapplied,
  type UnappliedRow,
} from '../rows.js';
import { MAX_UNAPPLIED_VARIANTS } from '../unapplied.js';
import type { PgCore } from './core.js';

const SQL = {
  insertUnapplied: `
    INSERT INTO unapplied_notifications
      (fingerprint, reason, order_id, price, pay_num, code, fields, received_at, signed_key, event_id,
       resolved_at, resolved_note)
    VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)
    ON CONFLICT (fingerprint) DO NOTHING RETURNING id`,
  // Instances take turns on one signed notification: counting and keeping are one step.
  lockSignedKey: `SELECT pg_advisory_xact_lock(hashtextextended($1, 0))`,
  unappliedKept: 'SELECT 1 FROM unapplied_notifications WHERE fingerprint = $1',
  variantsKept: 'SELECT count(*)::int AS n FROM unapplied_notifications WHERE signed_key = $1',
  countVariant: `
    UPDATE unapplied_notifications SET suppressed = suppressed + 1
    WHERE id = (SELECT min(id) FROM unapplied_notifications WHERE signed_key = $1)`,
  insertEvent: `
    INSERT INTO events (id, type, order_id, body, created_at) VALUES ($1, $2, $3, $4, $5)
    ON CONFLICT (id) DO NOTHING`,
  insertDeliveries: `
    INSERT INTO deliveries (event_id, sink, state, attempts, next_attempt_at)
    SELECT $1, sink, 'pending', 0, $3 FROM unnest($2::text[]) AS sink
    ON CONFLICT DO NOTHING`,
  listUnapplied: 'SELECT * FROM unapplied_notifications ORDER BY id',
  resolveUnapplied:
    'UPDATE unapplied_notifications SET resolved_at = $2, resolved_note = $3 WHERE id = $1 AND resolved_at IS NULL',
  // One statement: the new row, and the older ones beyond `keep` dropped.
  recordRejected: `
    WITH r AS (
      INSERT INTO rejected_notifications (received_at, client_address, content_type, reason, detail, fields, excerpt)
      VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id
    )
    DELETE FROM rejected_notifications WHERE id <= (SELECT id FROM r) - $8`,
  listRejected: 'SELECT * FROM rejected_notifications ORDER BY id DESC LIMIT $1',
  countRejected: 'SELECT count(*) AS n FROM rejected_notifications',
  // A resend is kept while the order has fewer than 20: a replayed notification grows nothing.
  insertRepeat: `
    INSERT INTO notifications (order_id, received_at, fields)
    SELECT $1, $2, $3 WHERE (SELECT count(*) FROM notifications WHERE order_id = $1) < 20`,
};

/** The notifications facet of the PostgreSQL engine. */
export function pgNotifications(core: PgCore): NotificationsStore {
  return {
    async recordUnapplied(notification: UnappliedNotification): Promise<void> {
      const record = storedUnapplied(notification);
      await core.transaction(async (client) => {
        await client.query(SQL.lockSignedKey, [record.signedKey]);
        // A repeat is nothing new; a variant past the cap is counted, not kept or announced.
        if ((await client.query(SQL.unappliedKept, [record.fingerprint])).rowCount !== 0) return;
        const kept = await client.query<{ n: number }>(SQL.variantsKept, [record.signedKey]);
        if ((kept.rows[0]?.n ?? 0) >= MAX_UNAPPLIED_VARIANTS) {
          await client.query(SQL.countVariant, [record.signedKey]);
          return;
        }
        const { rows } = await client.query<{ id: number }>(SQL.insertUnapplied, [
          record.fingerprint,
          record.reason,
          record.orderId,
          record.price,
          record.payNum,
          record.code,
          record.fields,
          record.receivedAt,
          record.signedKey,
          record.eventId,
          record.resolvedNote === undefined ? null : record.receivedAt,
          record.resolvedNote ?? null,
        ]);
        // A repeat is kept, and announced, once; with nowhere to deliver, nothing is announced.
        const inserted = rows[0];
        if (!inserted || core.sinks.length === 0) return;
        const id = record.eventId;
        const body = unappliedEventBody(id, record, core.mode === 'live');
        await client.query(SQL.insertEvent, [
          id,
          'notification.unapplied',
          record.orderId,
          body,
          record.receivedAt,
        ]);
        await client.query(SQL.insertDeliveries, [id, core.sinks, record.receivedAt]);
      });
    },

    async listUnapplied(): Promise<UnappliedRecord[]> {
      return (await core.query<UnappliedRow>(SQL.listUnapplied)).rows.map(toUnapplied);
    },

    async resolveUnapplied(id: number, at: number, note: string): Promise<boolean> {
      return (await core.query(SQL.resolveUnapplied, [id, at, note])).rowCount === 1;
    },

    async recordRejected(notification: RejectedNotification, keep: number): Promise<void> {
      const r = storedRejected(notification);
      await core.query(SQL.recordRejected, [
        r.receivedAt,
        r.clientAddress,
        r.contentType,
        r.reason,
        r.detail,
        r.fields,
        r.excerpt,
        keep,
      ]);
    },

    async listRejected(limit: number): Promise<RejectedRecord[]> {
      return (await core.query<RejectedRow>(SQL.listRejected, [limit])).rows.map(toRejected);
    },

    async countRejected(): Promise<number> {
      return (await core.query<{ n: number }>(SQL.countRejected)).rows[0]?.n ?? 0;
    },

    async recordNotification(orderId: string, notification: ReceivedNotification): Promise<void> {
      await core.query(SQL.insertRepeat, [
        orderId,
        notification.receivedAt,
        JSON.stringify(notification.fields),
      ]);
    },
  };
}
