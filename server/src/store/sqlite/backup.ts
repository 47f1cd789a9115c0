import { chmodSync, existsSync, statSync } from 'node:fs';
import { openDatabase, pluck } from './sqlite.js';

/** What {@link backupSqlite} wrote. */
export interface SqliteBackup {
  readonly file: string;
  readonly bytes: number;
  /** Orders in the copy. */
  readonly orders: number;
}

/**
 * Copies the SQLite database at `source` to `destination` with `VACUUM INTO`: one read of a
 * snapshot, consistent while the server goes on writing (in WAL mode a writer neither waits
 * for it nor disturbs it), compacted; then checks the copy's integrity. The copy is readable
 * by its owner only: it holds every order.
 */
export async function backupSqlite(source: string, destination: string): Promise<SqliteBackup> {
  if (!existsSync(source)) throw new BackupError(`no database at ${source}`);
  if (existsSync(destination)) throw new BackupError(`${destination} exists: back up to a new file`);
  const db = openDatabase(source, { readOnly: true });
  try {
    db.prepare('VACUUM INTO ?').run(destination);
  } finally {
    db.close();
  }
  chmodSync(destination, 0o600);
  const copy = openDatabase(destination, { readOnly: true });
  try {
    const check = pluck(copy.prepare('PRAGMA integrity_check')).get();
    if (check !== 'ok')
      throw new BackupError(`the copy at ${destination} fails its integrity check: ${String(check)}`);
    const orders = pluck(copy.prepare('SELECT count(*) FROM orders')).get() as number;
    return { file: destination, bytes: statSync(destination).size, orders };
  } finally {
    copy.close();
  }
}

/** A backup that cannot be made as asked: the message says why. */
export class BackupError extends Error {}
