/** Refused notifications traced (logged and kept) per window, at most, from all clients. */
export const REFUSALS_TRACED_PER_WINDOW = 50;
/**
 * Refused notifications traced per window from one client address: a forger's flood uses its
 * own share, and a real notification refused meanwhile (igepay's, from its own address) is
 * still traced.
 */
export const REFUSALS_TRACED_PER_CLIENT = 5;
/** The window of {@link RefusalBudget}, in milliseconds of real time. */
export const REFUSAL_WINDOW_MS = 10_000;

/**
 * How many refused notifications leave a trace: of each window, the first
 * {@link REFUSALS_TRACED_PER_CLIENT} from each client address, and
 * {@link REFUSALS_TRACED_PER_WINDOW} in all, are logged and kept for `igepay rejected`; the
 * rest are only counted, and
 * `report` hears the count once that window is over. A flood of forged notifications is
 * answered `fail` all the same; it just cannot fill the log or keep the writer busy.
 */
export class RefusalBudget {
  readonly #perWindow: number;
  readonly #perClient: number;
  readonly #windowMs: number;
  /** Traced this window, by client address (at most `perWindow` entries). */
  readonly #byClient = new Map<string, number>();
  readonly #report: (untraced: number, windowMs: number) => void;
  #windowStart = Number.NEGATIVE_INFINITY;
  #traced = 0;
  #untraced = 0;
  #timer: NodeJS.Timeout | undefined;

  constructor(
    report: (untraced: number, windowMs: number) => void,
    perWindow = REFUSALS_TRACED_PER_WINDOW,
    windowMs = REFUSAL_WINDOW_MS,
    perClient = REFUSALS_TRACED_PER_CLIENT,
  ) {
    this.#report = report;
    this.#perWindow = perWindow;
    this.#windowMs = windowMs;
    this.#perClient = perClient;
  }

  /** Whether the refusal happening now, of a request from `client`, may be traced; if not, it is counted. */
  take(client: string): boolean {
    const now = performance.now();
    if (now - this.#windowStart >= this.#windowMs) {
      this.#flush();
      this.#windowStart = now;
      this.#traced = 0;
      this.#byClient.clear();
    }
    const mine = this.#byClient.get(client) ?? 0;
    if (this.#traced < this.#perWindow && mine < this.#perClient) {
      this.#traced += 1;
      this.#byClient.set(client, mine + 1);
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
