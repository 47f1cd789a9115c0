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
import type { SqliteCore } from './core.js';
import { pluck, readers } from './sqlite.js';

/** The notifications facet of the embedded engine: reads here, writes on the writer thread. */
export function sqliteNotifications(core: SqliteCore): NotificationsStore {
  const { db, writer } = core;
  const sql = readers({
    listUnapplied: db.prepare('SELECT * FROM unapplied_notifications ORDER BY id'),
    listRejected: db.prepare('SELECT * FROM rejected_notifications ORDER BY id DESC LIMIT ?'),
    countRejected: pluck(db.prepare('SELECT count(*) FROM rejected_notifications')),
  });

  return {
    async recordUnapplied(notification: UnappliedNotification): Promise<void> {
      await writer.submit('recordUnapplied', storedUnapplied(notification));
    },

    async listUnapplied(): Promise<UnappliedRecord[]> {
      return (sql.listUnapplied.all() as UnappliedRow[]).map(toUnapplied);
    },

    async resolveUnapplied(id: number, at: number, note: string): Promise<boolean> {
      return writer.submit('resolveUnapplied', { id, at, note });
    },

    async recordRejected(notification: RejectedNotification, keep: number): Promise<void> {
      await writer.submit('recordRejected', { record: storedRejected(notification), keep });
    },

    async listRejected(limit: number): Promise<RejectedRecord[]> {
      return (sql.listRejected.all(limit) as RejectedRow[]).map(toRejected);
    },

    async countRejected(): Promise<number> {
      return sql.countRejected.get() as number;
    },

    async recordNotification(orderId: string, notification: ReceivedNotification): Promise<void> {
      await writer.submit('recordNotification', { orderId, notification });
    },
  };
}
