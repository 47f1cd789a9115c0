import { once } from 'node:events';
import { Worker } from 'node:worker_threads';
import { StoreClosedError, StoreWriteError } from '../errors.js';
import type { Sink } from '../order-store.js';
import type {
  FromWriter,
  ToWriter,
  WriteKind,
  WriteOp,
  WriteOps,
  WriteResult,
  WriterData,
} from './messages.js';

/** The writer thread's name (the OS shows its first 15 characters). */
export const WRITER_THREAD_NAME = 'igepay-writer';

interface Pending {
  readonly resolve: (value: unknown) => void;
  readonly reject: (error: Error) => void;
}

/** The writer's thread: told its database by `workerData`, or (`null`) by its first message. */
function writerThread(workerData: WriterData | null): Worker {
  return new Worker(new URL('./writer.worker.js', import.meta.url), {
    workerData,
    // Its thread's name, in `top -H` and /proc/<pid>/task/*/comm as in the inspector.
    name: WRITER_THREAD_NAME,
    // The writer's garbage is small and short-lived: a small young generation keeps the
    // thread's memory near its working set instead of V8's 16 MiB-per-semi-space default.
    resourceLimits: { maxYoungGenerationSizeMb: 4 },
  });
}

/** The thread {@link prewarmWriterThread} started, until a store takes it. */
let prewarmed: { readonly worker: Worker; alive: boolean } | undefined;

/**
 * Starts the writer's thread before any store opens: a thread takes ~30 ms to start, which
 * then overlaps the loading of the server's modules (on another core) instead of following
 * it. The first {@link SqliteWriter.start} takes it; {@link discardPrewarmedWriter} ends one
 * no store took (a server on PostgreSQL). It keeps no process alive by itself.
 */
export function prewarmWriterThread(): void {
  if (prewarmed) return;
  const entry = { worker: writerThread(null), alive: true };
  entry.worker.once('exit', () => {
    entry.alive = false;
  });
  // A thread that failed to start is not taken: the store starts one of its own.
  entry.worker.on('error', () => {
    entry.alive = false;
  });
  entry.worker.unref();
  prewarmed = entry;
}

/** Ends the thread {@link prewarmWriterThread} started, if no store took it. */
export async function discardPrewarmedWriter(): Promise<void> {
  const entry = prewarmed;
  prewarmed = undefined;
  if (entry?.alive) await entry.worker.terminate();
}

/**
 * The main-thread side of the SQLite writer thread. Writes submitted in one turn of the
 * event loop go over in one message; the thread commits everything waiting for it as one
 * group, so grouping happens while it is busy, without timers and without waiting for this
 * thread to notice a finished commit. A caller's promise resolves after its group's fsync.
 */
export class SqliteWriter {
  readonly #worker: Worker;
  readonly #pending = new Map<number, Pending>();
  #outbox: WriteOp[] = [];
  #nextId = 1;
  #flushScheduled = false;
  #failure: Error | undefined;
  #closing = false;
  readonly #exited: Promise<unknown>;
  #closed: (() => void) | undefined;

  private constructor(worker: Worker) {
    this.#worker = worker;
    this.#exited = once(worker, 'exit');
    worker.on('message', (message: FromWriter) => {
      if (message.type === 'done') this.#settle(message.results);
      else if (message.type === 'closed') this.#closed?.();
    });
    worker.on('error', (error) =>
      this.#fail(new StoreWriteError(`the store's writer stopped: ${error.message}`, undefined)),
    );
    worker.on('exit', () => this.#fail(new StoreClosedError()));
  }

  /** Writes submitted and not yet answered. */
  get pending(): number {
    return this.#pending.size;
  }

  /**
   * Starts the writer thread on the database at `path` (already migrated); new events go to
   * `sinks`, marked `livemode`. Takes the thread {@link prewarmWriterThread} started, if any.
   */
  static async start(path: string, sinks: readonly Sink[], livemode = true): Promise<SqliteWriter> {
    const data: WriterData = { path, sinks, livemode };
    const taken = prewarmed?.alive ? prewarmed.worker : undefined;
    prewarmed = undefined;
    const worker = taken ?? writerThread(data);
    const ready = once(worker, 'message');
    const failed = once(worker, 'error').then(([error]) => Promise.reject(error as Error));
    const ended = once(worker, 'exit').then(() =>
      Promise.reject(new StoreWriteError("the store's writer thread ended before it was ready", undefined)),
    );
    // Whichever loses the race below settles later (the thread ends at close): not an error then.
    for (const loser of [failed, ended]) loser.catch(() => {});
    if (taken) {
      // Held by the process while it opens, as a new thread is.
      taken.ref();
      taken.postMessage({ type: 'open', data } satisfies ToWriter);
    }
    await Promise.race([ready, failed, ended]);
    const writer = new SqliteWriter(worker);
    // Only outstanding writes keep the process alive (see #flush and #settle).
    worker.unref();
    return writer;
  }

  /** Queues one write; resolves with its result once its group is committed. */
  submit<K extends WriteKind>(kind: K, args: WriteOps[K]['args']): Promise<WriteOps[K]['result']> {
    if (this.#failure) return Promise.reject(this.#failure);
    if (this.#closing) return Promise.reject(new StoreClosedError());
    const id = this.#nextId++;
    this.#outbox.push({ id, kind, args } as WriteOp);
    if (!this.#flushScheduled) {
      this.#flushScheduled = true;
      setImmediate(() => this.#flush());
    }
    return new Promise<WriteOps[K]['result']>((resolve, reject) => {
      this.#pending.set(id, { resolve: resolve as (value: unknown) => void, reject });
    });
  }

  /** Throws if the writer thread can no longer write. */
  check(): void {
    if (this.#failure) throw this.#failure;
    if (this.#closing) throw new StoreClosedError();
  }

  /** Commits what is queued, then stops the thread. */
  async close(): Promise<void> {
    if (this.#closing) return;
    this.#closing = true;
    this.#flush();
    if (this.#failure) return;
    this.#worker.ref();
    // The thread commits everything sent before this message and closes its database; then it
    // is ended from here (Deno's worker cannot close its own port).
    const closed = new Promise<void>((resolve) => (this.#closed = resolve));
    this.#worker.postMessage({ type: 'close' } satisfies ToWriter);
    await Promise.race([closed, this.#exited]);
    await this.#worker.terminate();
    await this.#exited;
  }

  #flush(): void {
    this.#flushScheduled = false;
    if (this.#outbox.length === 0 || this.#failure) return;
    const ops = this.#outbox;
    this.#outbox = [];
    this.#worker.ref();
    this.#worker.postMessage({ type: 'ops', ops } satisfies ToWriter);
  }

  #settle(results: WriteResult[]): void {
    for (const result of results) {
      const pending = this.#pending.get(result.id);
      if (!pending) continue;
      this.#pending.delete(result.id);
      if (result.ok) pending.resolve(result.value);
      else pending.reject(new StoreWriteError(result.error.message, result.error.code));
    }
    if (this.#pending.size === 0) this.#worker.unref();
  }

  #fail(error: Error): void {
    if (this.#failure) return;
    this.#failure = this.#closing ? new StoreClosedError() : error;
    for (const pending of this.#pending.values()) pending.reject(this.#failure);
    this.#pending.clear();
    this.#outbox = [];
  }
}
