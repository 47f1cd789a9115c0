import type { OrderStore } from '../order-store.js';
import { sqliteAdmin } from './admin.js';
import { SqliteCore, type SqliteStoreOptions } from './core.js';
import { sqliteNotifications } from './notifications.js';
import { sqliteOrders } from './orders.js';
import { sqliteOutbox } from './outbox.js';
import { sqliteReports } from './reports.js';
import { pluck } from './sqlite.js';

export type { SqliteStoreOptions } from './core.js';

/**
 * The embedded store: one SQLite file (the runtime's `node:sqlite`) in WAL mode with `synchronous=FULL`.
 * Reads run on this thread's connection; writes run on the writer thread
 * (`SqliteWriter`), grouped into commits, each on disk before its promise resolves.
 *
 * One facet per concern (`orders.ts`, `notifications.ts`, `outbox.ts`, `admin.ts`,
 * `reports.ts`) over one shared {@link SqliteCore}.
 */
export type SqliteStore = OrderStore;

/** Opens the embedded store: see {@link SqliteStore}. */
export const SqliteStore = {
  /**
   * Opens (creating if needed) the database file, brings its schema up to date, starts the
   * writer; new events are queued for `sinks`.
   */
  async open(options: SqliteStoreOptions): Promise<SqliteStore> {
    const core = await SqliteCore.open(options);
    const ping = pluck(core.db.prepare('SELECT 1'));
    return {
      ...sqliteOrders(core),
      ...sqliteNotifications(core),
      ...sqliteOutbox(core),
      ...sqliteAdmin(core),
      ...sqliteReports(core),
      async ping(): Promise<void> {
        core.writer.check();
        ping.get();
      },
      async probeWrite(): Promise<void> {
        await core.writer.submit('probeWrite', null);
      },
      close: () => core.close(),
    };
  },
};
