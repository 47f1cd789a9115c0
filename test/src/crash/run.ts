import { parseArgs } from 'node:util';
import { runCrashTest } from './crash.js';

// `corepack pnpm test:crash [--orders 500] [--kill-every-ms 1500]`: the full crash-safety run.
const { values } = parseArgs({
  options: {
    orders: { type: 'string', default: '500' },
    'kill-every-ms': { type: 'string', default: '1500' },
  },
});
const started = Date.now();
const report = await runCrashTest({
  orders: Number(values.orders),
  killEveryMs: Number(values['kill-every-ms']),
  minKills: 10,
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
process.exitCode = ok ? 0 : 1;
