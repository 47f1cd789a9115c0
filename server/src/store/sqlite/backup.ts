import { chmodSync, existsSync, statSync } from 'node:fs';
import Database from 'better-sqlite3';

/** What {@link backupSqlite} wrote. */
export interface SqliteBackup {
  readonly file: string;
  readonly bytes: number;
  /** Orders in the copy. */
  readonly orders: number;
}

/**
 * Copies the SQLite database at `source` to `destination` with SQLite's online backup, which
 * is consistent while the server goes on writing (a write during the copy restarts the pass
 * over the pages it changed), then checks the copy's integrity. The copy is readable by its
 * owner only: it holds every order.
 */
export async function backupSqlite(source: string, destination: string): Promise<SqliteBackup> {
  if (!existsSync(source)) throw new BackupError(`no database at ${source}`);
  if (existsSync(destination)) throw new BackupError(`${destination} exists: back up to a new file`);
  const db = new Database(source, { readonly: true, fileMustExist: true });
  try {
    // After the first pages, the rest in one step: a single read of a snapshot, which a
    // writer (in WAL mode) neither waits for nor restarts.
    await db.backup(destination, { progress: ({ remainingPages }) => Math.max(remainingPages, 1) });
  } finally {
    db.close();
  }
  chmodSync(destination, 0o600);
  const copy = new Database(destination, { readonly: true, fileMustExist: true });
  try {
    const check = copy.pragma('integrity_check', { simple: true });
    if (check !== 'ok')
      throw new BackupError(`the copy at ${destination} fails its integrity check: ${check}`);
    const { n } = copy.prepare('SELECT count(*) AS n FROM orders').get() as { n: number };
    return { file: destination, bytes: statSync(destination).size, orders: n };
  } finally {
    copy.close();
  }
}

/** A backup that cannot be made as asked: the message says why. */
export class BackupError extends Error {}
