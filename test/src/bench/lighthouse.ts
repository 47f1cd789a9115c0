/**
 * `pnpm bench:lighthouse`: Lighthouse (the npm package, its default mobile run with simulated
 * throttling) on the demo shop, in Debian's Chromium. Prints the figures BENCHMARKS.md records
 * and exits 1 when one misses its mark: Cumulative Layout Shift ≤ 0.1, performance ≥ 0.95,
 * accessibility 1.0, no console errors.
 *
 * Lighthouse needs Node 22.19 or later, and the machine's Node may be older: it runs on the
 * newest Node of `.ci/node-versions`, both installed from the npm registry into `.cache/`.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CHROMIUM } from '../browsers.mjs';
import { ensureRuntime, matrixVersions, ROOT } from '../matrix/runtimes.js';
import { startDemoShop, stopServer } from './servers.js';

const LIGHTHOUSE_VERSION = '13.5.0';
const PREFIX = join(ROOT, '.cache', 'lighthouse', LIGHTHOUSE_VERSION);
const CLI = join(PREFIX, 'node_modules', 'lighthouse', 'cli', 'index.js');

interface Report {
  lighthouseVersion: string;
  categories: Record<string, { score: number | null }>;
  audits: Record<string, { numericValue?: number; score: number | null; details?: { items?: unknown[] } }>;
}

if (!existsSync(CLI)) {
  execFileSync(
    'npm',
    [
      'install',
      '--prefix',
      PREFIX,
      '--no-save',
      '--no-audit',
      '--no-fund',
      // The machine's npm installs it; its Node may be older than Lighthouse's engines field.
      '--engine-strict=false',
      `lighthouse@${LIGHTHOUSE_VERSION}`,
    ],
    { stdio: 'inherit' },
  );
}
const versions = matrixVersions();
const runtime = ensureRuntime(versions[versions.length - 1] ?? '26.12.1');

const dir = mkdtempSync(join(tmpdir(), 'igepay-lighthouse-'));
const shop = await startDemoShop(dir);
const runs: Report[] = [];
try {
  // The first run also warms the server (its first checkout of the config, the files read).
  for (let run = 0; run < 3; run += 1) {
    const out = join(dir, `report-${run}.json`);
    execFileSync(
      runtime.node,
      [
        CLI,
        `${shop.url}/`,
        '--output=json',
        `--output-path=${out}`,
        `--chrome-path=${CHROMIUM.executablePath}`,
        `--chrome-flags=--headless=new ${CHROMIUM.args.join(' ')}`,
        '--only-categories=performance,accessibility,best-practices',
        '--quiet',
      ],
      // Lighthouse reports errors of its own to Sentry only when asked; nothing leaves the machine.
      { stdio: ['ignore', 'ignore', 'inherit'], env: { ...process.env, CI: '1' } },
    );
    runs.push(JSON.parse(readFileSync(out, 'utf8')) as Report);
  }
} finally {
  await stopServer(shop.child);
  rmSync(dir, { recursive: true, force: true });
}

const median = (values: number[]) =>
  [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? Number.NaN;
const score = (name: string) => median(runs.map((r) => r.categories[name]?.score ?? 0));
const audit = (name: string) => median(runs.map((r) => r.audits[name]?.numericValue ?? Number.NaN));
const consoleErrors = Math.max(
  ...runs.map((r) => r.audits['errors-in-console']?.details?.items?.length ?? 0),
);
const figures = {
  cls: audit('cumulative-layout-shift'),
  performance: score('performance'),
  accessibility: score('accessibility'),
  bestPractices: score('best-practices'),
  lcpMs: audit('largest-contentful-paint'),
  tbtMs: audit('total-blocking-time'),
  consoleErrors,
};

const marks: Array<[string, boolean]> = [
  [`Cumulative Layout Shift ${figures.cls.toFixed(3)} <= 0.1`, figures.cls <= 0.1],
  [`performance ${figures.performance} >= 0.95`, figures.performance >= 0.95],
  [`accessibility ${figures.accessibility} = 1`, figures.accessibility === 1],
  [`console errors ${figures.consoleErrors} = 0`, figures.consoleErrors === 0],
];
console.log(
  `Lighthouse ${runs[0]?.lighthouseVersion} (mobile, simulated throttling), Node ${runtime.version}, the demo shop, median of ${runs.length} runs:`,
);
console.log(
  `| CLS ${figures.cls.toFixed(3)} | performance ${figures.performance} | accessibility ${figures.accessibility} | best practices ${figures.bestPractices} | LCP ${Math.round(figures.lcpMs)} ms | TBT ${Math.round(figures.tbtMs)} ms | console errors ${figures.consoleErrors} |`,
);
for (const [text, met] of marks) console.log(`${met ? 'met   ' : 'MISSED'} ${text}`);
process.exitCode = marks.every(([, met]) => met) ? 0 : 1;
