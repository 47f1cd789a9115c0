// @ts-check
/**
 * SQLite as the runtime has it built in (`node:sqlite`, also in Deno and Bun): no native addon
 * to download or compile. What the store needs beyond it, written once for the main thread and
 * the writer thread: opening quietly, first-column reads, transactions. Plain JavaScript
 * because the writer thread loads it as it is.
 */
import { createRequire } from 'node:module';

/** @typedef {import('node:sqlite').DatabaseSync} DatabaseSync */
/** @typedef {import('node:sqlite').StatementSync} StatementSync */
/**
 * What reads: a statement, or its first column ({@link pluck}). Its parameters are a
 * statement's: values by position, or an object of values by name.
 * @typedef {{ get(...params: any[]): unknown, all(...params: any[]): unknown[] }} Reader
 */

/** @type {typeof import('node:sqlite') | undefined} */
let sqlite;

/**
 * `node:sqlite`, loaded once. Node 22 calls it experimental and warns when it loads: that one
 * warning is dropped, as it says nothing a merchant can act on; every other warning still shows.
 */
function load() {
  if (sqlite) return sqlite;
  const emitWarning = process.emitWarning;
  process.emitWarning = /** @type {typeof process.emitWarning} */ (
    (/** @type {string | Error} */ warning, /** @type {unknown[]} */ ...rest) => {
      const text = typeof warning === 'string' ? warning : warning.message;
      const type = typeof rest[0] === 'string' ? rest[0] : /** @type {{ type?: string }} */ (rest[0])?.type;
      if (type === 'ExperimentalWarning' && /SQLite/.test(text)) return;
      return Reflect.apply(emitWarning, process, [warning, ...rest]);
    }
  );
  try {
    sqlite = /** @type {typeof import('node:sqlite')} */ (createRequire(import.meta.url)('node:sqlite'));
  } finally {
    process.emitWarning = emitWarning;
  }
  return sqlite;
}

/**
 * Opens the database file at `path` (created unless `readOnly`).
 * @param {string} path
 * @param {{ readOnly?: boolean }} [options]
 * @returns {DatabaseSync}
 */
export function openDatabase(path, options = {}) {
  const { DatabaseSync } = load();
  return new DatabaseSync(path, { readOnly: options.readOnly ?? false });
}

/**
 * A facet's statements by name, each read as a {@link Reader} (its rows as the caller types them).
 * @template {string} K
 * @param {Record<K, Reader>} statements
 * @returns {Record<K, Reader>}
 */
export function readers(statements) {
  return statements;
}

/**
 * A statement's first column: the value of its first row (`get`) or of every row (`all`).
 * @param {StatementSync} statement
 */
export function pluck(statement) {
  const read = /** @type {Reader} */ (statement);
  /** @param {unknown} row */
  const first = (row) => (row === undefined ? undefined : Object.values(/** @type {object} */ (row))[0]);
  return /** @type {Reader} */ ({
    get: (...params) => first(read.get(...params)),
    all: (...params) => read.all(...params).map(first),
  });
}

/**
 * Runs `work` in one transaction (`BEGIN IMMEDIATE` takes the write lock at once): committed if
 * it returns, rolled back if it throws.
 * @template T
 * @param {DatabaseSync} db
 * @param {() => T} work
 * @param {'DEFERRED' | 'IMMEDIATE'} [kind]
 * @returns {T}
 */
export function transaction(db, work, kind = 'DEFERRED') {
  db.exec(`BEGIN ${kind}`);
  try {
    const result = work();
    db.exec('COMMIT');
    return result;
  } catch (error) {
    // SQLite may have rolled back by itself (an I/O error, a full disk): then ROLLBACK has
    // nothing to undo, and says so.
    try {
      db.exec('ROLLBACK');
    } catch {}
    throw error;
  }
}
