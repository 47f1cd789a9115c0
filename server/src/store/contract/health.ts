/** Whether the store answers and takes writes, what it has queued, and its end. */
export interface HealthStore {
  /** Resolves when the store can be read; rejects otherwise. */
  ping(): Promise<void>;

  /** Commits a write that changes nothing, durably: resolves when the store takes writes. */
  probeWrite(): Promise<void>;

  /** Writes submitted and not yet committed (waiting for the writer or a connection), for metrics. */
  pendingWrites(): number;

  /** Finishes pending writes and releases the store. */
  close(): Promise<void>;
}
