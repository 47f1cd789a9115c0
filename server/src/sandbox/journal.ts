import type { Fault } from './settings.js';

/** A pay request the simulator received, and what it answered. */
export interface RequestEntry {
  readonly kind: 'request';
  readonly at: number;
  readonly outcome: 'created' | 'repeat' | 'refused';
  /** The fields as received (long values cut short). */
  readonly fields: Readonly<Record<string, unknown>>;
  readonly orderId: string | undefined;
  readonly payNum: string | undefined;
  /** The refusal, when refused. */
  readonly code: number | undefined;
  readonly msg: string | undefined;
  /** Where a request that was taken strays from igepay's document (docs/protocol.md §1.6). */
  readonly notes: readonly string[];
}

/** The buyer's action on the pay page. */
export interface BuyerEntry {
  readonly kind: 'paid' | 'cancelled';
  readonly at: number;
  readonly payNum: string;
  readonly orderId: string;
  readonly faults: readonly Fault[];
}

/** One attempt to deliver a notification to `notify_url`, and how the merchant answered. */
export interface NotifyEntry {
  readonly kind: 'notify';
  readonly at: number;
  readonly payNum: string;
  readonly orderId: string;
  /** Which copy (duplicates are separate copies) and which attempt of it, from 1. */
  readonly copy: number;
  readonly attempt: number;
  readonly url: string;
  readonly sent: Readonly<Record<string, string>>;
  readonly status: number | undefined;
  /** The reply body (cut short), or why there was none. */
  readonly reply: string | undefined;
  readonly error: string | undefined;
  readonly durationMs: number;
  readonly acked: boolean;
  /** Milliseconds until the next attempt; `undefined` when acked or given up. */
  readonly retryInMs: number | undefined;
}

/** The buyer's browser is sent to `return_url` (by the pay page, `afterMs` later). */
export interface RedirectEntry {
  readonly kind: 'redirect';
  readonly at: number;
  readonly afterMs: number;
  readonly payNum: string;
  readonly orderId: string;
  readonly url: string;
}

/** Something the simulator received or sent. */
export type JournalEntry = RequestEntry | BuyerEntry | NotifyEntry | RedirectEntry;

/**
 * What the simulator received and sent, newest last, for the inspection page. Bounded: the
 * oldest entries go first.
 */
export class Journal {
  readonly #entries: JournalEntry[] = [];

  constructor(private readonly limit = 2000) {}

  add(entry: JournalEntry): void {
    this.#entries.push(entry);
    if (this.#entries.length > this.limit) this.#entries.splice(0, this.#entries.length - this.limit);
  }

  /** Entries newest first, optionally only those of one order. */
  list(filter: { orderId?: string | undefined } = {}): JournalEntry[] {
    const entries =
      filter.orderId === undefined
        ? this.#entries
        : this.#entries.filter((entry) => entry.orderId === filter.orderId);
    return entries.toReversed();
  }
}

/** Cuts a received value short for the journal: a hostile client must not fill memory. */
export function clip(value: unknown, max = 300): unknown {
  if (typeof value === 'string') return value.length > max ? `${value.slice(0, max)}…` : value;
  if (Array.isArray(value)) return value.slice(0, 5).map((item) => clip(item, max));
  return value;
}
