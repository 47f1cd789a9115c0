import type { Database } from 'better-sqlite3';

interface Pending {
  readonly run: () => unknown;
  readonly resolve: (value: unknown) => void;
  readonly reject: (error: unknown) => void;
}

/** Thrown for writes submitted after the store closed. */
export class StoreClosedError extends Error {
  override readonly name = 'StoreClosedError';
  constructor() {
    super('the order store is closed');
  }
}

/**
 * Group commit for SQLite: writes submitted within one turn of the event loop (or within
 * `windowMs`) run in one transaction with one fsync, and every caller's promise resolves
 * only after that commit. Each write runs in its own savepoint, so one failing write is
 * rolled back alone and the others still commit.
 *
 * Why: a durable commit costs an fsync, and one fsync per notification caps the server far
 * below what the CPU can do; gathering the commits of a few requests keeps every answer
 * durable at a fraction of the cost.
 */
export class GroupCommit {
  readonly #db: Database;
  readonly #windowMs: number;
  readonly #inSavepoint: (run: () => unknown) => unknown;
  #queue: Pending[] = [];
  #scheduled = false;
  #closed = false;

  constructor(db: Database, options: { readonly windowMs?: number } = {}) {
    this.#db = db;
    this.#windowMs = options.windowMs ?? 0;
    // better-sqlite3 runs a transaction function called inside another as a SAVEPOINT.
    this.#inSavepoint = db.transaction((run: () => unknown) => run());
  }

  /** Runs `run` inside the next group transaction; resolves with its result once committed. */
  submit<T>(run: () => T): Promise<T> {
    if (this.#closed) return Promise.reject(new StoreClosedError());
    return new Promise<T>((resolve, reject) => {
      this.#queue.push({ run, resolve: resolve as (value: unknown) => void, reject });
      this.#schedule();
    });
  }

  /** Commits what is queued, then refuses further writes. */
  close(): void {
    this.#flush();
    this.#closed = true;
  }

  #schedule(): void {
    if (this.#scheduled) return;
    this.#scheduled = true;
    const flush = () => {
      this.#scheduled = false;
      this.#flush();
    };
    if (this.#windowMs > 0) setTimeout(flush, this.#windowMs);
    else setImmediate(flush);
  }

  #flush(): void {
    const batch = this.#queue;
    if (batch.length === 0) return;
    this.#queue = [];
    const outcomes: Array<{ ok: true; value: unknown } | { ok: false; error: unknown }> = [];
    try {
      this.#db
        .transaction(() => {
          for (const pending of batch) {
            try {
              outcomes.push({ ok: true, value: this.#inSavepoint(pending.run) });
            } catch (error) {
              outcomes.push({ ok: false, error });
            }
          }
        })
        .immediate();
    } catch (error) {
      // The commit itself failed (disk full, I/O error): nothing in the batch is durable.
      for (const pending of batch) pending.reject(error);
      return;
    }
    batch.forEach((pending, index) => {
      const outcome = outcomes[index];
      if (outcome?.ok) pending.resolve(outcome.value);
      else pending.reject(outcome?.error);
    });
  }
}
