import type { DatabaseConfig } from '../config/config.js';
import type { StoreMode } from './mode.js';
import type { OrderStore, Sink } from './order-store.js';
import { SqliteStore } from './sqlite/store.js';

/**
 * Opens the store engine that `DATABASE_URL` names; new events are queued for `sinks`. With
 * `mode`, a database of the other mode is refused (`IGEPAY_ERR_STORE_MODE`).
 */
export async function openStore(
  database: DatabaseConfig,
  sinks: readonly Sink[] = [],
  mode?: StoreMode,
): Promise<OrderStore> {
  switch (database.engine) {
    case 'sqlite':
      return await SqliteStore.open({ path: database.path, sinks, ...(mode && { mode }) });
    case 'postgres': {
      // Loaded only for PostgreSQL: the driver is an optional peer dependency, installed by
      // those who use it, and no part of an embedded server's start-up.
      const { PgStore } = await import('./postgres/store.js').catch((error: unknown) => {
        // Only pg itself missing: any other module not found is a broken install, said as it is.
        const { code, message } = error as { code?: string; message?: string };
        if (code !== 'ERR_MODULE_NOT_FOUND' || !/['"]pg['"]/.test(message ?? '')) throw error;
        throw new Error('DATABASE_URL names PostgreSQL, which needs the pg package: npm install pg');
      });
      return await PgStore.open({
        connectionString: database.url.reveal(),
        sinks,
        poolSize: database.poolSize,
        ...(mode && { mode }),
      });
    }
  }
}
