import { resolve } from 'node:path';
import { BackupError, backupSqlite } from '../../store/sqlite/backup.js';
import type { Output } from '../output.js';
import { databaseOf } from '../store.js';
import { UsageError } from '../usage-error.js';

/** `igepay backup FILE`: a consistent copy of the SQLite database, safe while the server runs. */
export async function backup(out: Output, env: NodeJS.ProcessEnv, file: string): Promise<void> {
  const database = databaseOf(env);
  if (database.engine !== 'sqlite') {
    throw new UsageError(
      'DATABASE_URL names PostgreSQL: back it up with pg_dump (docs/deploy.md, "Backups")',
    );
  }
  let copy: Awaited<ReturnType<typeof backupSqlite>>;
  try {
    copy = await backupSqlite(database.path, resolve(file));
  } catch (error) {
    if (error instanceof BackupError) throw new UsageError(error.message);
    throw error;
  }
  if (out.json) {
    out.print(JSON.stringify({ file: copy.file, bytes: copy.bytes, orders: copy.orders }));
    return;
  }
  out.print(`${copy.file}: ${copy.orders} orders, ${copy.bytes} bytes, integrity checked`);
}
