import type { OrderStore } from '../order-store.js';
import { pgAdmin } from './admin.js';
import { PgCore, type PgStoreOptions } from './core.js';
import { pgNotifications } from './notifications.js';
import { pgOrders } from './orders.js';
import { pgOutbox } from './outbox.js';
import { pgReports } from './reports.js';

export { CHANGES_CHANNEL, type PgStoreOptions } from './core.js';

/**
 * The PostgreSQL store, for several server instances on one database. Every operation is one
 * statement or one transaction (checkouts and payments under load share one with others:
 * see `Batcher`), committed (PostgreSQL's default `synchronous_commit = on`: on disk)
 * before its promise resolves. Status changes are announced with NOTIFY, and every
 * instance LISTENs (`PgChangeFeed`), so a long poll held by one instance wakes when the
 * notification lands on another.
 *
 * One facet per concern (`orders.ts`, `notifications.ts`, `outbox.ts`, `admin.ts`,
 * `reports.ts`) over one shared {@link PgCore}.
 */
export type PgStore = OrderStore & Required<Pick<OrderStore, 'now' | 'onMissedChanges'>>;

/** Opens the PostgreSQL store: see {@link PgStore}. */
export const PgStore = {
  /** Connects, brings the schema up to date, and starts listening for other instances' changes. */
  async open(options: PgStoreOptions): Promise<PgStore> {
    const core = await PgCore.open(options);
    return {
      ...pgOrders(core),
      ...pgNotifications(core),
      ...pgOutbox(core),
      ...pgAdmin(core),
      ...pgReports(core),
      async ping(): Promise<void> {
        await core.query('SELECT 1');
      },
      async probeWrite(): Promise<void> {
        await core.query(
          'UPDATE schema_migrations SET applied_at = applied_at WHERE version = (SELECT MAX(version) FROM schema_migrations)',
        );
      },
      close: () => core.close(),
    };
  },
};
