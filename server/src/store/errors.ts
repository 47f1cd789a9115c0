/** Thrown for writes submitted after the store closed. */
export class StoreClosedError extends Error {
  override readonly name = 'StoreClosedError';
  constructor() {
    super('the order store is closed');
  }
}

/** A write the database refused or could not commit; nothing of it was stored. */
export class StoreWriteError extends Error {
  override readonly name = 'StoreWriteError';
  constructor(
    message: string,
    /** The engine's error code, e.g. `SQLITE_CONSTRAINT_PRIMARYKEY`. */
    readonly code: string | undefined,
  ) {
    super(message);
  }
}

/** True for errors that mean "the store cannot do this now" rather than a bug. */
export function isStoreFault(error: unknown): boolean {
  return error instanceof StoreClosedError || error instanceof StoreWriteError;
}
