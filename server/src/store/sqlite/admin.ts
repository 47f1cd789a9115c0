import type { AdminAction, AdminActionRecord, AdminSession, AdminStore } from '../order-store.js';
import type { SqliteCore } from './core.js';
import { readers } from './sqlite.js';

/** The dashboard's sessions and audit trail in the embedded engine. */
export function sqliteAdmin(core: SqliteCore): AdminStore {
  const { db, writer } = core;
  const sql = readers({
    getAdminSession: db.prepare(
      'SELECT id_hash AS idHash, csrf_token AS csrfToken, created_at AS createdAt, last_seen_at AS lastSeenAt FROM admin_sessions WHERE id_hash = ?',
    ),
    listAdminActions: db.prepare('SELECT * FROM admin_actions ORDER BY id DESC LIMIT ?'),
  });

  return {
    async createAdminSession(session: AdminSession): Promise<void> {
      await writer.submit('createAdminSession', session);
    },

    async getAdminSession(idHash: string): Promise<AdminSession | undefined> {
      return sql.getAdminSession.get(idHash) as AdminSession | undefined;
    },

    async touchAdminSession(idHash: string, at: number): Promise<void> {
      await writer.submit('touchAdminSession', { idHash, at });
    },

    async deleteAdminSessions(which: { idHash: string } | { lastSeenBefore: number }): Promise<void> {
      await writer.submit('deleteAdminSessions', which);
    },

    async recordAdminAction(action: AdminAction): Promise<void> {
      await writer.submit('recordAdminAction', action);
    },

    async listAdminActions(limit: number): Promise<AdminActionRecord[]> {
      return sql.listAdminActions.all(limit) as AdminActionRecord[];
    },
  };
}
