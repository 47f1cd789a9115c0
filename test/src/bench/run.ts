/**
 * `pnpm bench`: throughput and latency of checkout and of durable notifications, each as a
 * ratio to a bare Fastify POST route measured in the same run on the same machine.
 *
 * Each server runs in its own process; autocannon drives it over loopback from this one.
 * Baseline and subject are measured in alternating rounds and the median ratio is reported,
 * because a shared virtual machine's speed drifts by more than the differences measured.
 * The notification run posts a distinct, validly signed payment for a distinct pending order
 * on every request, so each one is a real pending->paid change committed to disk; afterwards
 * the database is checked to hold exactly as many paid orders as `success` answers.
 */
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { PgStore } from '@igepay/server/postgres';
import autocannon from 'autocannon';
import pg from 'pg';
import { scratchDatabase } from '../postgres-cluster.js';
import { cpuByThread, perRequest, settled, type ThreadKind, totalOf } from './cpu.js';
import {
  commandMs,
  paidLatency,
  percentile,
  rssMb,
  startupMs,
  WIDGET_BUDGET_GZIP_BYTES,
  widgetSizes,
} from './limits.js';
import { seedPendingOrders } from './seed.js';
import { startBare, startFloor, startSigningServer, stopServer } from './servers.js';

const DURATION_S = Number(process.env.BENCH_DURATION ?? 5);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
// Many concurrent clients: group commit shares one fsync among the requests waiting for it.
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 64);
const ORDERS = Number(process.env.BENCH_ORDERS ?? 600_000);
const LATENCY_SAMPLES = Number(process.env.BENCH_LATENCY_SAMPLES ?? 100);
// `postgres`: the same throughput runs on the PostgreSQL engine (BENCH_DATABASE_URL, or a
// throwaway local cluster of Debian's postgresql), without the limits section.
const ENGINE = process.env.BENCH_ENGINE === 'postgres' ? 'postgres' : 'sqlite';
const ms = (value: number) => `${value.toFixed(1)} ms`;

interface Figures {
  readonly name: string;
  readonly requests: number;
  readonly rps: number;
  readonly p50: number;
  readonly p99: number;
  readonly non2xx: number;
  readonly errors: number;
  /** 2xx answers, warm-up included. */
  readonly ok: number;
}

async function warmUp(options: autocannon.Options): Promise<number> {
  const result = await autocannon({ ...options, duration: 2, connections: CONNECTIONS });
  return result['2xx'];
}

async function measure(name: string, options: autocannon.Options): Promise<Figures> {
  const result = await autocannon({ ...options, duration: DURATION_S, connections: CONNECTIONS });
  return {
    name,
    requests: result.requests.total,
    rps: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    non2xx: result.non2xx,
    errors: result.errors + result.timeouts,
    ok: result['2xx'],
  };
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? 0;

/** A server under load: its name in the tables, autocannon's options, and its process. */
interface Measured {
  readonly name: string;
  readonly options: autocannon.Options;
  readonly pid: number;
}

/** One server's figures over the rounds: medians, and its CPU time per request by thread. */
interface Compared {
  readonly figures: Figures;
  /** The median of each round's throughput over the base's in the same round. */
  readonly ratio: number;
  readonly cpu: Map<ThreadKind, number>;
}

/**
 * Measures `base` and then each of `others` in alternating rounds (the subject first): the
 * median of each figure and of each one's ratio to the base, and each one's CPU time per
 * request by thread (over all its rounds). `ok`: the subject's 2xx answers, warm-up included.
 */
async function compare(
  base: Measured,
  others: readonly [subject: Measured, ...rest: Measured[]],
): Promise<{ base: Compared; subject: Compared; rest: Compared[]; ok: number }> {
  const all = [base, ...others];
  const oks: number[] = [];
  for (const server of all) oks.push(await warmUp(server.options));
  for (const server of others) await settled(server.pid);
  const rounds: Figures[][] = all.map(() => []);
  const cpuBefore = all.map((server) => cpuByThread(server.pid));
  for (let round = 0; round < ROUNDS; round++) {
    for (const [i, server] of all.entries()) rounds[i]?.push(await measure(server.name, server.options));
    // What a server deferred (the names' index) is done, and counted, before the next round.
    for (const server of others) await settled(server.pid);
  }
  const count = (list: Figures[]) => list.reduce((sum, f) => sum + f.requests, 0);
  const pick = (list: Figures[], name: string): Figures => ({
    name,
    requests: count(list),
    rps: median(list.map((f) => f.rps)),
    p50: median(list.map((f) => f.p50)),
    p99: median(list.map((f) => f.p99)),
    non2xx: list.reduce((sum, f) => sum + f.non2xx, 0),
    errors: list.reduce((sum, f) => sum + f.errors, 0),
    ok: list.reduce((sum, f) => sum + f.ok, 0),
  });
  const bases = rounds[0] ?? [];
  const compared = all.map((server, i): Compared => {
    const list = rounds[i] ?? [];
    return {
      figures: pick(list, server.name),
      ratio: median(list.map((f, round) => f.rps / (bases[round]?.rps ?? Number.NaN))),
      cpu: perRequest(cpuBefore[i] ?? new Map(), cpuByThread(server.pid), count(list)),
    };
  });
  const [baseFigures, subject, ...rest] = compared as [Compared, Compared, ...Compared[]];
  return { base: baseFigures, subject, rest, ok: (oks[1] ?? 0) + subject.figures.ok };
}

const KINDS: readonly ThreadKind[] = ['request thread', 'writer', 'V8 helpers', 'libuv pool', 'other'];

/** CPU µs per request by thread, a row per server measured. */
function cpuRows(rows: ReadonlyArray<readonly [string, Map<ThreadKind, number>]>): string[] {
  const us = (value: number | undefined) => (value === undefined ? '-' : value.toFixed(1));
  return [
    `| CPU µs per request | ${KINDS.join(' | ')} | all threads |`,
    `| --- |${' ---: |'.repeat(KINDS.length + 1)}`,
    ...rows.map(
      ([name, per]) =>
        `| ${name} | ${KINDS.map((kind) => us(per.get(kind))).join(' | ')} | ${us(totalOf(per))} |`,
    ),
    '(user and system time of each thread, /proc, over every measured round, divided by the requests made)',
    '',
  ];
}

/** Form POSTs to `url`, each with the next of `bodies`; `sent()` counts the requests built. */
function eachBody(
  url: string,
  bodies: readonly string[],
): { options: autocannon.Options; sent: () => number } {
  let next = 0;
  return {
    options: {
      url,
      requests: [
        {
          method: 'POST',
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
          setupRequest: (request) => ({ ...request, body: bodies[next++ % bodies.length] ?? '' }),
        },
      ],
    },
    sent: () => next,
  };
}

const CHECKOUT_BODY = JSON.stringify({ channel: 'alipay', price: '12.50', order_name: '充值' });

async function countPaidPg(url: string): Promise<number> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  const { rows } = await client.query<{ paid: string }>(
    "SELECT COUNT(*) AS paid FROM orders WHERE status = 'paid'",
  );
  await client.end();
  return Number(rows[0]?.paid ?? 0);
}

async function countPaid(dbPath: string): Promise<number> {
  const db = new DatabaseSync(dbPath, { readOnly: true });
  const { n: paid } = db.prepare("SELECT COUNT(*) AS n FROM orders WHERE status = 'paid'").get() as {
    n: number;
  };
  db.close();
  return paid;
}

/** Start-up, paid latency and widget size: the limits section of the embedded engine's run. */
async function measureLimitsOn(dbPath: string, log: string) {
  const [startedBare = 0, startedApp = 0] = await startupMs(
    [startBare, () => startSigningServer(dbPath, log)],
    5,
  );
  const latencyServer = await startSigningServer(dbPath, log);
  const latency = await paidLatency(latencyServer.url, LATENCY_SAMPLES);
  await stopServer(latencyServer.child);
  const sizes = await widgetSizes();
  const cli = {
    bare: commandMs(['-e', '0'], 10),
    version: commandMs([IGEPAY_CLI, '--version'], 10),
    help: commandMs([IGEPAY_CLI, '--help'], 10),
  };
  return { startedBare, startedApp, latency, sizes, cli };
}

/** The built CLI, as `pnpm igepay` and the package's `igepay` bin run it. */
const IGEPAY_CLI = join(import.meta.dirname, '..', '..', '..', 'server', 'dist', 'bin', 'igepay.js');

/** Two instances on one PostgreSQL database: the poll on A, igepay's notification on B. */
async function crossInstanceLatency(dbPath: string, log: string, env: Record<string, string>) {
  const a = await startSigningServer(dbPath, `${log}.a`, env);
  const b = await startSigningServer(dbPath, `${log}.b`, env);
  try {
    return await paidLatency(a.url, LATENCY_SAMPLES, b.url);
  } finally {
    await stopServer(a.child);
    await stopServer(b.child);
  }
}

function limitRows(
  { startedBare, startedApp, latency, sizes, cli }: Awaited<ReturnType<typeof measureLimitsOn>>,
  rssUnderLoad: number,
  bareRssUnderLoad: number,
): string[] {
  return [
    '| limit | figure | baseline | ratio | target |',
    '| --- | ---: | ---: | ---: | ---: |',
    `| notification -> long poll sees paid, p50 | ${ms(percentile(latency.longPoll, 50))} | ${ms(percentile(latency.polling, 50))} (2 s polling) | ${(percentile(latency.longPoll, 50) / percentile(latency.polling, 50)).toFixed(3)}x | <= 100 ms |`,
    `| notification -> long poll sees paid, p99 | ${ms(percentile(latency.longPoll, 99))} | ${ms(percentile(latency.polling, 99))} (2 s polling) | ${(percentile(latency.longPoll, 99) / percentile(latency.polling, 99)).toFixed(3)}x | <= 300 ms |`,
    `| start -> ready (${ORDERS} orders on disk) | ${ms(startedApp)} | ${ms(startedBare)} (bare Fastify) | ${(startedApp / startedBare).toFixed(2)}x | <= 1.5x |`,
    `| RSS under notification load | ${rssUnderLoad.toFixed(0)} MB | ${bareRssUnderLoad.toFixed(0)} MB (bare Fastify, same load) | ${(rssUnderLoad / bareRssUnderLoad).toFixed(2)}x | <= 1.5x |`,
    `| /widget.js gzipped | ${sizes.widget} B | ${sizes.bareLit} B (bare Lit element) | ${(sizes.widget / sizes.bareLit).toFixed(2)}x | <= ${WIDGET_BUDGET_GZIP_BYTES.toLocaleString('en')} B |`,
    `| igepay --version | ${ms(cli.version)} | ${ms(cli.bare)} (node -e 0) | ${(cli.version / cli.bare).toFixed(2)}x | < 1,000 ms |`,
    `| igepay --help | ${ms(cli.help)} | ${ms(cli.bare)} (node -e 0) | ${(cli.help / cli.bare).toFixed(2)}x | < 1,000 ms |`,
    `(latency over ${latency.longPoll.length} payments each; start-up: medians of 5 process starts of each, in turn; the CLI: median of 10 runs, to exit)`,
    '',
  ];
}

let releasePostgres: (() => Promise<void>) | undefined;
const dir = mkdtempSync(join(tmpdir(), 'igepay-bench-'));
const dbPath = join(dir, 'bench.db');
const json = { 'content-type': 'application/json' };
try {
  process.stdout.write(`seeding ${ORDERS} pending orders (${ENGINE})...\n`);
  const postgres =
    ENGINE === 'postgres' ? await scratchDatabase('igepay_bench', process.env.BENCH_DATABASE_URL) : undefined;
  releasePostgres = postgres?.release;
  const { notifications } = await seedPendingOrders(dbPath, ORDERS, {
    ...(postgres && { open: () => PgStore.open({ connectionString: postgres.url }) }),
  });
  const serverEnv: Record<string, string> = postgres ? { DATABASE_URL: postgres.url } : {};

  const log = join(dir, 'server.log');
  const bare = await startBare();
  const app = await startSigningServer(dbPath, log, serverEnv);
  // The floor (the embedded engine's): the durable write alone, on a copy of the database.
  const floorDb = join(dir, 'floor.db');
  if (!postgres) copyFileSync(dbPath, floorDb);
  const floor = postgres ? undefined : await startFloor(floorDb);
  const [barePid, appPid, floorPid] = [bare.child.pid ?? 0, app.child.pid ?? 0, floor?.child.pid ?? 0];
  // At rest: started, every module loaded, nothing asked of it yet.
  await new Promise((resolve) => setTimeout(resolve, 2_000));
  const atRest = { app: rssMb(appPid), bare: rssMb(barePid) };
  const checkout = await compare(
    {
      name: 'bare JSON POST',
      options: { url: `${bare.url}/bare/json`, method: 'POST', headers: json, body: CHECKOUT_BODY },
      pid: barePid,
    },
    [
      {
        name: 'POST /api/checkout',
        options: { url: `${app.url}/api/checkout`, method: 'POST', headers: json, body: CHECKOUT_BODY },
        pid: appPid,
      },
      ...(floor
        ? [
            {
              name: 'floor: bare JSON POST + a durable insert',
              options: {
                url: `${floor.url}/floor/json`,
                method: 'POST' as const,
                headers: json,
                body: CHECKOUT_BODY,
              },
              pid: floorPid,
            },
          ]
        : []),
    ],
  );
  // The baseline gets the same distinct bodies, built per request the same way: autocannon
  // spends far more CPU on a request it builds than on a prebuilt one, and on two cores that
  // CPU is taken from whichever server is measured.
  const bareForms = eachBody(`${bare.url}/bare/form`, notifications);
  const payments = eachBody(`${app.url}/api/igepay/notify`, notifications);
  const floorForms = floor && eachBody(`${floor.url}/floor/form`, notifications);
  // The signing server's memory while it takes notifications at full speed.
  // The baseline's too, under the same load at the same moments: what Node and Fastify hold by themselves.
  let rssUnderLoad = 0;
  let bareRssUnderLoad = 0;
  const sampler = setInterval(() => {
    rssUnderLoad = Math.max(rssUnderLoad, rssMb(appPid));
    bareRssUnderLoad = Math.max(bareRssUnderLoad, rssMb(barePid));
  }, 500);
  const notify = await compare({ name: 'bare form POST', options: bareForms.options, pid: barePid }, [
    { name: 'POST /api/igepay/notify (durable)', options: payments.options, pid: appPid },
    ...(floorForms
      ? [{ name: 'floor: bare form POST + a durable update', options: floorForms.options, pid: floorPid }]
      : []),
  ]);
  clearInterval(sampler);
  await stopServer(bare.child);
  await stopServer(app.child);
  if (floor) await stopServer(floor.child);
  // Counted before the latency run below pays orders of its own.
  const paid = postgres ? await countPaidPg(postgres.url) : await countPaid(dbPath);
  const engineNote = postgres
    ? 'PostgreSQL 15 on the same machine (one instance, DATABASE_POOL_SIZE=10)'
    : 'SQLite (WAL, synchronous=FULL)';

  // The limits are the embedded engine's (the default). The PostgreSQL run measures instead
  // how soon a long poll held by one instance sees a notification taken by another.
  const limits = postgres ? undefined : await measureLimitsOn(dbPath, log);
  const crossInstance = postgres ? await crossInstanceLatency(dbPath, log, serverEnv) : undefined;
  const measured = [
    checkout.base,
    checkout.subject,
    ...checkout.rest,
    notify.base,
    notify.subject,
    ...notify.rest,
  ];
  const rows = measured.map((server) => server.figures);
  const [checkoutFloor] = checkout.rest;
  const [notifyFloor] = notify.rest;
  process.stdout.write(
    [
      '',
      `Machine: ${cpus().length} x ${cpus()[0]?.model ?? 'cpu'}, Node ${process.version}; ${CONNECTIONS} connections; ` +
        `${ROUNDS} alternating rounds of ${DURATION_S} s after a 2 s warm-up; medians`,
      '',
      '| route | req/s | p50 ms | p99 ms | non-2xx | errors |',
      '| --- | ---: | ---: | ---: | ---: | ---: |',
      ...rows.map(
        (r) => `| ${r.name} | ${Math.round(r.rps)} | ${r.p50} | ${r.p99} | ${r.non2xx} | ${r.errors} |`,
      ),
      '',
      `checkout / bare JSON POST: ${checkout.subject.ratio.toFixed(2)}x (target >= 0.5x)`,
      `durable notification / bare form POST: ${notify.subject.ratio.toFixed(2)}x (target >= 0.5x)`,
      ...(checkoutFloor && notifyFloor
        ? [
            `the floor, only the durable write / bare: ${checkoutFloor.ratio.toFixed(2)}x (insert), ${notifyFloor.ratio.toFixed(2)}x (update): the most a durable route reaches here`,
          ]
        : []),
      `paid orders on disk: ${paid}; "success" answers counted: ${notify.ok}; notifications sent: ${payments.sent()}`,
      `store: ${engineNote}`,
      '',
      ...cpuRows(measured.map((server) => [server.figures.name, server.cpu] as const)),
      `RSS at rest: ${atRest.app.toFixed(0)} MB (bare Fastify: ${atRest.bare.toFixed(0)} MB, ${(atRest.app / atRest.bare).toFixed(2)}x; target <= 80 MB)`,
      '',
      ...(limits ? limitRows(limits, rssUnderLoad, bareRssUnderLoad) : []),
      ...(crossInstance
        ? [
            `notification on instance B -> long poll on instance A sees paid: p50 ${ms(percentile(crossInstance.longPoll, 50))}, p99 ${ms(percentile(crossInstance.longPoll, 99))} ` +
              `(2 s polling: p50 ${ms(percentile(crossInstance.polling, 50))}, p99 ${ms(percentile(crossInstance.polling, 99))}; ${crossInstance.longPoll.length} payments each)`,
            '',
          ]
        : []),
    ].join('\n'),
  );

  if (payments.sent() > ORDERS) {
    throw new Error(`ran out of distinct orders (${payments.sent()} > ${ORDERS}); raise BENCH_ORDERS`);
  }
  // Every "success" stands for a paid order on disk. A few more may be paid: requests still in
  // flight when autocannon stopped counting; never more than were sent.
  if (paid < notify.ok || paid > payments.sent()) {
    throw new Error(
      `paid orders (${paid}) do not match "success" answers (${notify.ok}) and requests sent (${payments.sent()})`,
    );
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
  await releasePostgres?.();
}
