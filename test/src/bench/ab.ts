/**
 * `pnpm bench:ab <other checkout>` (`BENCH_METRICS=1` to serve metrics too): this checkout's signing server against another's (an
 * earlier commit, built with `tsc -b`), side by side on one machine: checkouts, then durable
 * notifications, in alternating rounds, with the median of each and their ratio. `pnpm bench`
 * compares each build with a bare Fastify; this compares two builds, to tell what a change
 * costs from how the machine drifts between runs. Then each build's start → ready, the median
 * of alternating starts (BENCH_STARTS, default 9). Each build runs with its own `serve` script's
 * Node flags, as its `pnpm serve` would, and each one's CPU µs per request by thread is printed
 * beside its throughput: the steadier figure on a machine whose speed drifts.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { OrderStore } from '@igepay/server';
import autocannon from 'autocannon';
import { cpuByThread, perRequest, settled, type ThreadKind, totalOf } from './cpu.js';
import { startupMs } from './limits.js';
import { seedPendingOrders } from './seed.js';
import { serveNodeFlags, startSigningServer, stopServer } from './servers.js';

const other = resolve(process.argv[2] ?? '');
// Entry points moved in the layout by layer; an earlier checkout has the old one.
const otherEntry = ['server/dist/bin/serve.js', 'server/dist/main.js']
  .map((path) => join(other, path))
  .find((path) => existsSync(path));
if (!process.argv[2] || !otherEntry) {
  process.stderr.write('usage: pnpm bench:ab <path of another checkout, built with tsc -b>\n');
  process.exit(2);
}
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 7);
const DURATION_S = Number(process.env.BENCH_DURATION ?? 4);
const ORDERS = Number(process.env.BENCH_ORDERS ?? 250_000);
const STARTS = Number(process.env.BENCH_STARTS ?? 9);
// BENCH_METRICS=1: both servers are asked to serve metrics (a build without them ignores it), so
// their cost is in this build's figures.
const SERVER_ENV: Record<string, string> =
  process.env.BENCH_METRICS === '1' ? { IGEPAY_METRICS_TOKEN: 'bench-metrics-token-0123456789' } : {};
/** Opens `db` with the other checkout's own SQLite store. */
async function otherStore(db: string): Promise<() => Promise<OrderStore>> {
  const { SqliteStore } = (await import(pathToFileURL(join(other, 'server/dist/index.js')).href)) as {
    SqliteStore: { open(options: { path: string }): Promise<OrderStore> };
  };
  return () => SqliteStore.open({ path: db });
}
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? 0;

const dir = mkdtempSync(join(tmpdir(), 'igepay-bench-ab-'));
try {
  const builds = { other: otherEntry, this: undefined };
  // An earlier layout's `serve` script ran server/dist/main.js, with no flags.
  const otherFlags = (() => {
    try {
      return serveNodeFlags(other);
    } catch {
      return [];
    }
  })();
  // A build's server on `db`, as its own `pnpm serve` starts it (this build's: no entry given).
  const startBuild = (name: string, db: string, entry: string | undefined) =>
    startSigningServer(
      db,
      join(dir, `${name}.log`),
      SERVER_ENV,
      entry,
      entry ? otherFlags : serveNodeFlags(),
    );
  const servers = await Promise.all(
    Object.entries(builds).map(async ([name, entry]) => {
      const db = join(dir, `${name}.db`);
      // Each database is made by its own build's store, so each starts on its own schema (a
      // build refuses a database written by a newer one).
      const open = entry ? await otherStore(db) : undefined;
      const { notifications } = await seedPendingOrders(db, ORDERS, open ? { open } : {});
      const server = await startBuild(name, db, entry);
      let next = 0;
      const load = {
        checkout: {
          url: `${server.url}/api/checkout`,
          method: 'POST' as const,
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ channel: 'alipay', price: '12.50', order_name: '充值' }),
        },
        notify: {
          url: `${server.url}/api/igepay/notify`,
          requests: [
            {
              method: 'POST' as const,
              headers: { 'content-type': 'application/x-www-form-urlencoded' },
              setupRequest: (request: object) => ({
                ...request,
                body: notifications[next++ % notifications.length],
              }),
            },
          ],
        },
      };
      return { name, server, load, db, entry };
    }),
  );
  for (const route of ['checkout', 'notify'] as const) {
    for (const { load } of servers) await autocannon({ ...load[route], duration: 2, connections: 64 });
    const figures = new Map(servers.map(({ name }) => [name, [] as number[]]));
    const cpu = new Map(servers.map(({ name }) => [name, [] as Map<ThreadKind, number>[]]));
    for (let round = 0; round < ROUNDS; round++) {
      // Each build goes first in every other round: neither always follows the other's load.
      for (const { name, load, server } of round % 2 ? [...servers].reverse() : servers) {
        const before = cpuByThread(server.child.pid ?? 0);
        const result = await autocannon({ ...load[route], duration: DURATION_S, connections: 64 });
        cpu.get(name)?.push(perRequest(before, cpuByThread(server.child.pid ?? 0), result.requests.total));
        figures.get(name)?.push(Math.round(result.requests.average));
        // What a build deferred past its round (the names' index) is done before the next.
        for (const { server } of servers) await settled(server.child.pid ?? 0);
      }
    }
    const [a, b] = [median(figures.get('other') ?? []), median(figures.get('this') ?? [])];
    process.stdout.write(
      `${route}: other ${a} req/s, this ${b} req/s (medians of ${ROUNDS} rounds of ${DURATION_S} s): this/other ${(b / a).toFixed(3)}x\n`,
    );
    const of = (name: string, pick: (per: Map<ThreadKind, number>) => number) =>
      median((cpu.get(name) ?? []).map(pick)).toFixed(1);
    for (const name of ['other', 'this']) {
      process.stdout.write(
        `  ${name}: CPU µs per request ${of(name, totalOf)} (request thread ${of(name, (per) => per.get('request thread') ?? 0)}, writer ${of(name, (per) => per.get('writer') ?? 0)}, V8 helpers ${of(name, (per) => per.get('V8 helpers') ?? 0)}; medians of the rounds)\n`,
      );
    }
  }
  for (const { server } of servers) await stopServer(server.child);

  // Start → ready, in turn, each on its own database (after the load), one start of each first
  // unmeasured, so both find their compiled code cached as `pnpm serve` would.
  const [a = 0, b = 0] = await startupMs(
    servers.map(
      ({ name, db, entry }) =>
        () =>
          startBuild(name, db, entry),
    ),
    STARTS,
  );
  process.stdout.write(
    `start -> ready: other ${a.toFixed(1)} ms, this ${b.toFixed(1)} ms (medians of ${STARTS} alternating starts): this/other ${(b / a).toFixed(3)}x\n`,
  );
} finally {
  rmSync(dir, { recursive: true, force: true });
}
