import { type CheckStatus, runDoctor } from '../doctor.js';
import type { Output } from '../output.js';
import { UsageError } from '../usage-error.js';

const MARKS: Readonly<Record<CheckStatus, [string, 'green' | 'yellow' | 'red']>> = {
  pass: ['✓', 'green'],
  warn: ['!', 'yellow'],
  fail: ['✗', 'red'],
};

/** `igepay doctor`: is this live configuration ready for buyers? True when nothing blocks it. */
export async function doctor(
  out: Output,
  env: NodeJS.ProcessEnv,
  options: { resolve?: readonly string[] },
): Promise<boolean> {
  const resolve = new Map<string, string>();
  for (const item of options.resolve ?? []) {
    const at = item.lastIndexOf(':', item.startsWith('[') ? item.indexOf(']') : undefined);
    const split = item.indexOf(':');
    const host = split > 0 ? item.slice(0, split) : '';
    const address = split > 0 ? item.slice(split + 1).replace(/^\[|\]$/g, '') : '';
    if (at < 0 || host === '' || address === '')
      throw new UsageError(`--resolve must be host:address, not "${item}"`);
    resolve.set(host, address);
  }
  const report = await runDoctor(env, { resolve });
  if (out.json) {
    out.print(JSON.stringify(report, null, 2));
    return report.ok;
  }
  const width = Math.max(...report.checks.map((check) => check.name.length));
  for (const check of report.checks) {
    const [mark, colour] = MARKS[check.status];
    out.print(`${out.paint(colour, mark)} ${check.name.padEnd(width)}  ${check.message}`);
  }
  const blocking = report.checks.filter((check) => check.status === 'fail').length;
  out.print(
    blocking === 0
      ? out.paint('green', '\nNothing blocks going live. Next: a ¥0.01 order (docs/first-live-payment.md).')
      : out.paint(
          'red',
          `\n${blocking} ${blocking === 1 ? 'check blocks' : 'checks block'} going live: fix ${blocking === 1 ? 'it' : 'them'}, then run igepay doctor again.`,
        ),
  );
  return report.ok;
}
