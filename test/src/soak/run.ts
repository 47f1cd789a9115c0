/**
 * `pnpm test:soak [--seconds 300] [--engine postgres]`: five minutes of mixed load on the signing server
 * (checkouts, status long polls, notifications and their duplicates), all at once. It passes
 * when no request fails; it reports the server's resident memory, sampled every 5 s, and the
 * slope of a straight line fitted to it after the first fifth of the run (flat is ~0 MB/min).
 */
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { PgStore } from '@igepay/server/postgres';
import autocannon from 'autocannon';
import { rssMb } from '../bench/limits.js';
import { seedPendingOrders } from '../bench/seed.js';
import { startSigningServer, stopServer } from '../bench/servers.js';
import { scratchDatabase } from '../postgres-cluster.js';

const { values } = parseArgs({
  options: { seconds: { type: 'string', default: '300' }, engine: { type: 'string', default: 'sqlite' } },
});
const SECONDS = Number(values.seconds);
const SECRET = 'cs_soak_secret';
const ORDERS = 200_000;

/** Least-squares slope of `points` (x in minutes, y in MB). */
function slope(points: Array<[number, number]>): number {
  const n = points.length;
  const mx = points.reduce((s, [x]) => s + x, 0) / n;
  const my = points.reduce((s, [, y]) => s + y, 0) / n;
  const num = points.reduce((s, [x, y]) => s + (x - mx) * (y - my), 0);
  const den = points.reduce((s, [x]) => s + (x - mx) ** 2, 0);
  return den === 0 ? 0 : num / den;
}

const dir = mkdtempSync(join(tmpdir(), 'igepay-soak-'));
const dbPath = join(dir, 'igepay.db');
// `--engine postgres`: the server on a throwaway PostgreSQL cluster instead of a SQLite file.
const postgres = values.engine === 'postgres' ? await scratchDatabase('igepay_soak') : undefined;
process.stdout.write(`seeding ${ORDERS} pending orders (${values.engine})...\n`);
const seeded = await seedPendingOrders(dbPath, ORDERS, {
  clientSecretHash: createHash('sha256').update(SECRET).digest('hex'),
  ...(postgres && { open: () => PgStore.open({ connectionString: postgres.url }) }),
});
const { ids } = seeded;
// Every notification comes twice, as igepay's resends do.
const notifications = seeded.notifications.flatMap((body) => [body, body]);
const { child, url } = await startSigningServer(
  dbPath,
  join(dir, 'server.log'),
  postgres ? { DATABASE_URL: postgres.url } : {},
);
const pid = child.pid ?? 0;
const samples: Array<[number, number]> = [];
const started = Date.now();
const sampler = setInterval(() => samples.push([(Date.now() - started) / 60_000, rssMb(pid)]), 5000);
samples.push([0, rssMb(pid)]);

let nextNotification = 0;
let nextStatus = 0;
process.stdout.write(`${SECONDS} s of mixed load on ${url}...\n`);
const [checkouts, notifies, statuses] = await Promise.all([
  autocannon({
    url,
    duration: SECONDS,
    connections: 8,
    requests: [
      {
        method: 'POST',
        path: '/api/checkout',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ channel: 'alipay', price: '12.50', order_name: '充值' }),
      },
    ],
  }),
  autocannon({
    url,
    duration: SECONDS,
    connections: 8,
    requests: [
      {
        method: 'POST',
        path: '/api/igepay/notify',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        setupRequest: (request) => ({
          ...request,
          body: notifications[nextNotification++ % notifications.length] ?? '',
        }),
      },
    ],
  }),
  autocannon({
    url,
    duration: SECONDS,
    connections: 16,
    requests: [
      {
        method: 'GET',
        setupRequest: (request) => ({
          ...request,
          path: `/api/orders/${ids[nextStatus++ % ids.length]}?client_secret=${SECRET}&wait=1`,
        }),
      },
    ],
  }),
]);
clearInterval(sampler);
samples.push([(Date.now() - started) / 60_000, rssMb(pid)]);
await stopServer(child);
await postgres?.release();
rmSync(dir, { recursive: true, force: true });

const steady = samples.filter(([minutes]) => minutes >= SECONDS / 60 / 5);
const report = {
  seconds: SECONDS,
  checkout: {
    requests: checkouts.requests.total,
    non2xx: checkouts.non2xx,
    errors: checkouts.errors + checkouts.timeouts,
    p99_ms: checkouts.latency.p99,
  },
  notify: {
    requests: notifies.requests.total,
    non2xx: notifies.non2xx,
    errors: notifies.errors + notifies.timeouts,
    p99_ms: notifies.latency.p99,
  },
  status: {
    requests: statuses.requests.total,
    non2xx: statuses.non2xx,
    errors: statuses.errors + statuses.timeouts,
    p99_ms: statuses.latency.p99,
  },
  rss_mb: { start: samples[0]?.[1], end: samples.at(-1)?.[1], max: Math.max(...samples.map(([, y]) => y)) },
  rss_slope_mb_per_min: Number(slope(steady).toFixed(3)),
};
process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
const failures = [report.checkout, report.notify, report.status].reduce(
  (sum, r) => sum + r.non2xx + r.errors,
  0,
);
process.stdout.write(failures === 0 ? 'OK: no request failed\n' : `FAILED: ${failures} requests failed\n`);
process.exitCode = failures === 0 ? 0 : 1;
