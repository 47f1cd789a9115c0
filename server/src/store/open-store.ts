import type { DatabaseConfig } from '../config/config.js';
import type { OrderStore, Sink } from './order-store.js';
import { SqliteStore } from './sqlite/store.js';

/** Opens the store engine that `DATABASE_URL` names; new events are queued for `sinks`. */
export async function openStore(database: DatabaseConfig, sinks: readonly Sink[] = []): Promise<OrderStore> {
  switch (database.engine) {
    case 'sqlite':
      return await SqliteStore.open({ path: database.path, sinks });
    case 'postgres': {
      // Loaded only for PostgreSQL: the driver is no part of an embedded server's start-up.
      const { PgStore } = await import('./postgres/store.js');
      return await PgStore.open({
        connectionString: database.url.reveal(),
        sinks,
        poolSize: database.poolSize,
      });
    }
  }
}
