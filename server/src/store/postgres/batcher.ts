/** One submitted item's result in a batch: its value, or the error that refused it alone. */
export type BatchResult<O> =
  | { readonly ok: true; readonly value: O }
  | { readonly ok: false; readonly error: Error };

/**
 * Group commit for a database reached over a connection: while `maxInFlight` batches are
 * running, newly submitted items wait, and all that waited go together as the next batch
 * (one statement, one commit, one fsync for all of them). Under light load each item goes
 * at once, alone; under heavy load the batches grow by themselves.
 */
export class Batcher<I, O> {
  readonly #run: (items: readonly I[]) => Promise<Array<BatchResult<O>>>;
  readonly #maxInFlight: number;
  readonly #maxBatch: number;
  #queue: Array<{ item: I; resolve: (value: O) => void; reject: (error: Error) => void; alone?: boolean }> =
    [];
  #inFlight = 0;

  /**
   * @param run runs one batch; it resolves with one result per item, in order, or rejects when
   *   the whole batch failed: then each item is run again alone, and rejects with its own error.
   */
  constructor(
    run: (items: readonly I[]) => Promise<Array<BatchResult<O>>>,
    options: { readonly maxInFlight: number; readonly maxBatch?: number },
  ) {
    this.#run = run;
    this.#maxInFlight = options.maxInFlight;
    this.#maxBatch = options.maxBatch ?? 1000;
  }

  /** Queues `item`; resolves once the batch it went in has committed. */
  /** Items waiting for a batch. */
  get queued(): number {
    return this.#queue.length;
  }

  submit(item: I): Promise<O> {
    return new Promise<O>((resolve, reject) => {
      this.#queue.push({ item, resolve, reject });
      this.#pump();
    });
  }

  #pump(): void {
    while (this.#inFlight < this.#maxInFlight && this.#queue.length > 0) {
      // Items of a failed batch go one by one; the rest as many as fit.
      const batch = this.#queue[0]?.alone ? this.#queue.splice(0, 1) : this.#queue.splice(0, this.#maxBatch);
      this.#inFlight++;
      this.#run(batch.map((entry) => entry.item))
        .then(
          (results) =>
            batch.forEach((entry, i) => {
              const result = results[i];
              if (result?.ok) entry.resolve(result.value);
              else entry.reject(result?.error ?? new Error('the batch gave no result for this item'));
            }),
          (error: unknown) => {
            // One bad item must not fail the others: retried alone, each gets its own answer.
            if (batch.length > 1) {
              this.#queue.unshift(...batch.map((entry) => ({ ...entry, alone: true })));
              return;
            }
            const failure = error instanceof Error ? error : new Error(String(error));
            for (const entry of batch) entry.reject(failure);
          },
        )
        .finally(() => {
          this.#inFlight--;
          this.#pump();
        });
    }
  }
}
