import { EventEmitter } from 'node:events';
import { closeSync, mkdirSync, openSync } from 'node:fs';
import { dirname } from 'node:path';
import { type StoreMode, settleMode } from '../mode.js';
import type { OrderChange, Sink } from '../order-store.js';
import { migrate, SQLITE_MIGRATIONS } from './migrations.js';
import { type DatabaseSync, openDatabase, pluck } from './sqlite.js';
import { SqliteWriter } from './writer.js';

/** Options for opening the embedded store (`SqliteStore.open`). */
export interface SqliteStoreOptions {
  /** The database file; its folder is created if missing. */
  readonly path: string;
  /** Where new events are delivered; with none (the default), no events are written. */
  readonly sinks?: readonly Sink[];
  /**
   * The server's mode: recorded by the first opener, refused when the database recorded the
   * other (`IGEPAY_ERR_STORE_MODE`). Unset (the `igepay` command), the database's is taken.
   */
  readonly mode?: StoreMode;
}

/**
 * What every facet of the embedded engine shares: this thread's read-only connection, the
 * writer thread every write goes through ({@link SqliteWriter}), and the changes announced.
 */
export class SqliteCore {
  readonly #changes = new EventEmitter();
  #open = true;

  private constructor(
    /** This thread's connection: it only reads. */
    readonly db: DatabaseSync,
    /** The writer thread: every write, grouped into commits, each on disk before it resolves. */
    readonly writer: SqliteWriter,
    /** The database's mode (`OrdersStore.mode`). */
    readonly mode: StoreMode,
  ) {
    this.#changes.setMaxListeners(0);
  }

  /**
   * Opens (creating if needed) the database file, brings its schema up to date, starts the
   * writer; new events are queued for `sinks`.
   */
  static async open(options: SqliteStoreOptions): Promise<SqliteCore> {
    mkdirSync(dirname(options.path), { recursive: true });
    // Readable by its owner only, as backups are: it holds every buyer's order. SQLite gives
    // the -wal and -shm files the database's own permissions. A file that exists keeps its own.
    closeSync(openSync(options.path, 'a', 0o600));
    const db = openDatabase(options.path);
    try {
      // Waiting for a lock first: another process (the server, a second command) opening the
      // same file at once makes setting WAL find it locked.
      db.exec('PRAGMA busy_timeout = 5000');
      db.exec('PRAGMA journal_mode = WAL');
      migrate(db, SQLITE_MIGRATIONS);
      const recorded = () =>
        pluck(db.prepare(`SELECT value FROM store_meta WHERE key = 'mode'`)).get() as string | undefined;
      let { mode, record } = settleMode(recorded(), options.mode);
      if (record) {
        // Two first starts at once: the first recorded wins, and the other is held to it.
        db.prepare(`INSERT OR IGNORE INTO store_meta (key, value) VALUES ('mode', ?)`).run(mode);
        ({ mode } = settleMode(recorded(), options.mode));
      }
      // This connection only reads from now on; every write goes through the writer thread.
      db.exec('PRAGMA query_only = 1');
      const writer = await SqliteWriter.start(options.path, options.sinks ?? [], mode === 'live');
      return new SqliteCore(db, writer, mode);
    } catch (error) {
      db.close();
      throw error;
    }
  }

  /** Tells the listeners of a change the writer committed. */
  emit(change: OrderChange): void {
    this.#changes.emit('change', change);
  }

  /** `OrdersStore.onChange`: one process has every change. */
  onChange(listener: (change: OrderChange) => void): () => void {
    this.#changes.on('change', listener);
    return () => this.#changes.off('change', listener);
  }

  /** Finishes the writes waiting and closes both connections. */
  async close(): Promise<void> {
    if (!this.#open) return;
    this.#open = false;
    await this.writer.close();
    this.db.close();
  }
}
