import type { DatabaseConfig } from '../config.js';
import { SqliteStore } from './sqlite-store.js';
import type { OrderStore } from './store.js';

/** Opens the store engine that `DATABASE_URL` names. */
export async function openStore(database: DatabaseConfig): Promise<OrderStore> {
  switch (database.engine) {
    case 'sqlite':
      return await SqliteStore.open({ path: database.path });
  }
}
