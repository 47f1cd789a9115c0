import type { AdminAction, AdminActionRecord, AdminSession, AdminStore } from '../order-store.js';
import type { PgCore } from './core.js';

const SQL = {
  createAdminSession:
    'INSERT INTO admin_sessions (id_hash, csrf_token, created_at, last_seen_at) VALUES ($1, $2, $3, $4)',
  getAdminSession: `SELECT id_hash AS "idHash", csrf_token AS "csrfToken", created_at AS "createdAt",
    last_seen_at AS "lastSeenAt" FROM admin_sessions WHERE id_hash = $1`,
  touchAdminSession: 'UPDATE admin_sessions SET last_seen_at = $2 WHERE id_hash = $1',
  deleteAdminSession: 'DELETE FROM admin_sessions WHERE id_hash = $1',
  deleteIdleAdminSessions: 'DELETE FROM admin_sessions WHERE last_seen_at < $1',
  recordAdminAction:
    'INSERT INTO admin_actions (at, action, session, client, target, note) VALUES ($1, $2, $3, $4, $5, $6)',
  listAdminActions:
    'SELECT id, at, action, session, client, target, note FROM admin_actions ORDER BY id DESC LIMIT $1',
};

/** The dashboard's sessions and audit trail in the PostgreSQL engine. */
export function pgAdmin(core: PgCore): AdminStore {
  return {
    async createAdminSession(session: AdminSession): Promise<void> {
      await core.query(SQL.createAdminSession, [
        session.idHash,
        session.csrfToken,
        session.createdAt,
        session.lastSeenAt,
      ]);
    },

    async getAdminSession(idHash: string): Promise<AdminSession | undefined> {
      return (await core.query<AdminSession>(SQL.getAdminSession, [idHash])).rows[0];
    },

    async touchAdminSession(idHash: string, at: number): Promise<void> {
      await core.query(SQL.touchAdminSession, [idHash, at]);
    },

    async deleteAdminSessions(which: { idHash: string } | { lastSeenBefore: number }): Promise<void> {
      if ('idHash' in which) await core.query(SQL.deleteAdminSession, [which.idHash]);
      else await core.query(SQL.deleteIdleAdminSessions, [which.lastSeenBefore]);
    },

    async recordAdminAction(action: AdminAction): Promise<void> {
      await core.query(SQL.recordAdminAction, [
        action.at,
        action.action,
        action.session,
        action.client,
        action.target,
        action.note,
      ]);
    },

    async listAdminActions(limit: number): Promise<AdminActionRecord[]> {
      return (await core.query<AdminActionRecord>(SQL.listAdminActions, [limit])).rows;
    },
  };
}
