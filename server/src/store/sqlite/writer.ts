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
   * `sinks`, marked `livemode`.
   */
  static async start(path: string, sinks: readonly Sink[], livemode = true): Promise<SqliteWriter> {
    const workerData: WriterData = { path, sinks, livemode };
    const worker = new Worker(new URL('./writer.worker.js', import.meta.url), {
      workerData,
      // Its thread's name, in `top -H` and /proc/<pid>/task/*/comm as in the inspector.
      name: WRITER_THREAD_NAME,
      // The writer's garbage is small and short-lived: a small young generation keeps the
      // thread's memory near its working set instead of V8's 16 MiB-per-semi-space default.
      resourceLimits: { maxYoungGenerationSizeMb: 4 },
    });
    const ready = once(worker, 'message');
    const failed = once(worker, 'error').then(([error]) => Promise.reject(error as Error));
    await Promise.race([ready, failed]);
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
