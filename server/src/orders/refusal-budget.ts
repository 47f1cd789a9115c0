/** Refused notifications traced (logged and kept) per window, at most. */
export const REFUSALS_TRACED_PER_WINDOW = 20;
/** The window of {@link RefusalBudget}, in milliseconds of real time. */
export const REFUSAL_WINDOW_MS = 10_000;

/**
 * How many refused notifications leave a trace: the first {@link REFUSALS_TRACED_PER_WINDOW}
 * of each window are logged and kept for `igepay rejected`; the rest are only counted, and
 * `report` hears the count once that window is over. A flood of forged notifications is
 * answered `fail` all the same; it just cannot fill the log or keep the writer busy.
 */
export class RefusalBudget {
  readonly #perWindow: number;
  readonly #windowMs: number;
  readonly #report: (untraced: number, windowMs: number) => void;
  #windowStart = Number.NEGATIVE_INFINITY;
  #traced = 0;
  #untraced = 0;
  #timer: NodeJS.Timeout | undefined;

  constructor(
    report: (untraced: number, windowMs: number) => void,
    perWindow = REFUSALS_TRACED_PER_WINDOW,
    windowMs = REFUSAL_WINDOW_MS,
  ) {
    this.#report = report;
    this.#perWindow = perWindow;
    this.#windowMs = windowMs;
  }

  /** Whether the refusal happening now may be traced; if not, it is counted. */
  take(): boolean {
    const now = performance.now();
    if (now - this.#windowStart >= this.#windowMs) {
      this.#flush();
      this.#windowStart = now;
      this.#traced = 0;
    }
    if (this.#traced < this.#perWindow) {
      this.#traced += 1;
      return true;
    }
    this.#untraced += 1;
    // The count is told when the window ends, whether or not more refusals follow.
    this.#timer ??= setTimeout(() => this.#flush(), this.#windowStart + this.#windowMs - now).unref();
    return false;
  }

  /** Tells what is still untold (at shutdown). */
  close(): void {
    this.#flush();
  }

  #flush(): void {
    clearTimeout(this.#timer);
    this.#timer = undefined;
    if (this.#untraced > 0) this.#report(this.#untraced, this.#windowMs);
    this.#untraced = 0;
  }
}
