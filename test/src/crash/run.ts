import { parseArgs } from 'node:util';
import { scratchDatabase } from '../postgres-cluster.js';
import { runCrashTest } from './crash.js';

// `pnpm test:crash [--orders 500] [--kill-every-ms 1500] [--engine postgres]`: the
// full crash-safety run, on SQLite or on a throwaway PostgreSQL cluster.
const { values } = parseArgs({
  options: {
    orders: { type: 'string', default: '500' },
    'kill-every-ms': { type: 'string', default: '1500' },
    engine: { type: 'string', default: 'sqlite' },
  },
});
const postgres = values.engine === 'postgres' ? await scratchDatabase('igepay_crash') : undefined;
const databaseUrl = postgres?.url;
const started = Date.now();
const report = await runCrashTest({
  orders: Number(values.orders),
  killEveryMs: Number(values['kill-every-ms']),
  minKills: 10,
  ...(databaseUrl && { databaseUrl }),
  log: (line) => process.stdout.write(`${line}\n`),
});
process.stdout.write(
  `${JSON.stringify(report, null, 2)}\nin ${Math.round((Date.now() - started) / 1000)} s\n`,
);
const ok =
  report.acknowledged === report.orders &&
  report.paidInStore === report.orders &&
  [report.paidWithoutPayment, report.acknowledgedNotPaid, report.notForwarded, report.unstableEventIds].every(
    (list) => list.length === 0,
  );
process.stdout.write(
  ok ? 'OK: every acknowledged payment paid once and forwarded under one id\n' : 'FAILED\n',
);
await postgres?.release();
process.exitCode = ok ? 0 : 1;
