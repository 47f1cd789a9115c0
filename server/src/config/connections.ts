/**
 * How many connections this process may hold: what the settings (`IGEPAY_MAX_CONNECTIONS`) are
 * read against, and the default. The server's guard (`http/connections.ts`) enforces them.
 */
import { readFileSync } from 'node:fs';

/** File descriptors kept back from connections: the database, its writer, logs, outgoing deliveries. */
export const RESERVED_DESCRIPTORS = 256;

/**
 * This process's soft limit on open files (`ulimit -n`), from `/proc/self/limits`;
 * `undefined` where that cannot be read (not Linux).
 */
export function fileDescriptorLimit(limitsFile = '/proc/self/limits'): number | undefined {
  try {
    const line = readFileSync(limitsFile, 'utf8')
      .split('\n')
      .find((row) => row.startsWith('Max open files'));
    const soft = line?.slice('Max open files'.length).trim().split(/\s+/)[0];
    if (soft === 'unlimited') return Number.POSITIVE_INFINITY;
    return soft !== undefined && /^\d+$/.test(soft) ? Number(soft) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The most connections a server may hold open with `fdLimit` descriptors: what the limit
 * leaves once {@link RESERVED_DESCRIPTORS} are kept back, and never more than 16,384 (a shop's
 * checkouts and long polls, and room for abuse to be shed).
 */
export function defaultMaxConnections(fdLimit: number | undefined): number {
  if (fdLimit === undefined) return 4_096 - RESERVED_DESCRIPTORS;
  return Math.max(64, Math.min(16_384, fdLimit - RESERVED_DESCRIPTORS));
}
