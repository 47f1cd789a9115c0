import { readdirSync, readFileSync } from 'node:fs';

/*
 * CPU time by thread, read from /proc: what a request costs each thread of a server, so a
 * ratio to the baseline explains itself (the request thread, the SQLite writer, V8's helpers,
 * libuv's pool). Linux only, as the benchmarks are.
 */

/** The kinds of thread a Node server has, by the name the OS shows for each. */
export type ThreadKind = 'request thread' | 'writer' | 'V8 helpers' | 'libuv pool' | 'other';

const TICKS_PER_SECOND = 100; // USER_HZ on Linux: /proc's clock ticks.

function kindOf(name: string, tid: string, pid: number): ThreadKind {
  if (tid === String(pid)) return 'request thread';
  // Node names a worker's thread after it from Node 24 on; on Node 22 the writer counts as "other".
  // The store's writer, or the floor's (floor.ts).
  if (name.startsWith('igepay-writer') || name.startsWith('floor-writer')) return 'writer';
  if (name.startsWith('V8Worker') || name.startsWith('DelayedTaskSche')) return 'V8 helpers';
  if (name.startsWith('libuv-worker')) return 'libuv pool';
  return 'other';
}

/** Each thread kind's CPU time (user and system) so far, in microseconds. */
export function cpuByThread(pid: number): Map<ThreadKind, number> {
  const byKind = new Map<ThreadKind, number>();
  for (const tid of readdirSync(`/proc/${pid}/task`)) {
    let stat: string;
    let name: string;
    try {
      stat = readFileSync(`/proc/${pid}/task/${tid}/stat`, 'utf8');
      name = readFileSync(`/proc/${pid}/task/${tid}/comm`, 'utf8').trim();
    } catch {
      continue; // the thread ended meanwhile
    }
    // Fields after the name, which is in parentheses and may hold spaces: utime is the 14th
    // field of the line, stime the 15th.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const ticks = Number(fields[11]) + Number(fields[12]);
    const kind = kindOf(name, tid, pid);
    byKind.set(kind, (byKind.get(kind) ?? 0) + (ticks * 1e6) / TICKS_PER_SECOND);
  }
  return byKind;
}

/** CPU µs per request by thread kind between two readings, over `requests` requests. */
export function perRequest(
  before: Map<ThreadKind, number>,
  after: Map<ThreadKind, number>,
  requests: number,
): Map<ThreadKind, number> {
  const per = new Map<ThreadKind, number>();
  for (const [kind, used] of after) {
    const spent = used - (before.get(kind) ?? 0);
    if (spent > 0) per.set(kind, spent / Math.max(1, requests));
  }
  return per;
}

/** The total over every thread kind. */
export const totalOf = (per: Map<ThreadKind, number>) => [...per.values()].reduce((sum, v) => sum + v, 0);

/**
 * Resolves once the process has been idle for a moment (under 2 ms of CPU in 100 ms, twice),
 * or after `maxMs`: work it deferred past a round (indexing names) is done before the next
 * round, so it is neither counted in that round nor taken from the other server's.
 */
export async function settled(pid: number, maxMs = 10_000): Promise<void> {
  const deadline = Date.now() + maxMs;
  let quiet = 0;
  let last = totalOf(cpuByThread(pid));
  while (quiet < 2 && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 100));
    const now = totalOf(cpuByThread(pid));
    quiet = now - last < 2_000 ? quiet + 1 : 0;
    last = now;
  }
}
