/** How deliveries are retried. */
export interface RetryPolicy {
  /** The first wait; each failure doubles it. */
  readonly baseMs: number;
  /** The longest wait between two attempts. */
  readonly maxMs: number;
  /** After this long since the event, a delivery is given up (`failed`). */
  readonly giveUpAfterMs: number;
}

/** 30 s, 1 min, 2 min ... capped at 6 h, for up to 3 days: a merchant app down for a weekend catches up. */
export const DEFAULT_RETRY: RetryPolicy = {
  baseMs: 30_000,
  maxMs: 6 * 3600_000,
  giveUpAfterMs: 3 * 24 * 3600_000,
};

/**
 * The wait before the next attempt after `attempts` failures: exponential, with jitter (half
 * to all of it) so that many deliveries failing together do not come back together.
 */
export function nextDelay(policy: RetryPolicy, attempts: number, random: () => number = Math.random): number {
  const exponential = Math.min(policy.maxMs, policy.baseMs * 2 ** Math.min(attempts - 1, 30));
  return Math.round(exponential * (0.5 + random() * 0.5));
}
