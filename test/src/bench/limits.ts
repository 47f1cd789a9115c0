/**
 * The limits `pnpm bench` reports beside throughput: how soon a long poll sees a payment
 * (against naive 2-second polling), how fast a server starts (against a bare Fastify one),
 * how much memory it holds under load, and how big `/widget.js` is (against a bare Lit
 * element built the same way).
 */
import { execFile, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { gzipSync } from 'node:zlib';
import type { CheckoutResponse, OrderView } from '@igepay/shared';
import { notificationSign } from '@igepay/shared/signing';
import type { RunningServer } from './servers.js';
import { BENCH_TOKEN } from './token.js';

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? 0;
const percentile = (values: number[], p: number) =>
  [...values].sort((a, b) => a - b)[Math.min(values.length - 1, Math.floor((values.length * p) / 100))] ?? 0;

async function order(url: string): Promise<CheckoutResponse> {
  const response = await fetch(`${url}/api/checkout`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ channel: 'alipay', price: '3.30' }),
  });
  return (await response.json()) as CheckoutResponse;
}

async function notify(url: string, checkout: CheckoutResponse): Promise<void> {
  const { order_id: orderId } = checkout;
  const { price, key } = checkout.gateway.fields;
  const response = await fetch(`${url}/api/igepay/notify`, {
    method: 'POST',
    body: new URLSearchParams({
      pay_num: `L${orderId}`,
      order_id: orderId,
      price,
      code: '0000',
      key,
      sign: notificationSign({ order_id: orderId, price }, BENCH_TOKEN),
    }),
  });
  if ((await response.text()) !== 'success') throw new Error('notification refused');
}

const status = async (url: string, checkout: CheckoutResponse, wait: number) =>
  (
    (await (
      await fetch(
        `${url}/api/orders/${checkout.order_id}?client_secret=${checkout.client_secret}&wait=${wait}`,
      )
    ).json()) as OrderView
  ).status;

/**
 * Milliseconds from sending igepay's notification to the buyer's page seeing `paid`. The
 * notification goes to `notifyUrl` (another instance on the same database), or to `url`.
 */
export async function paidLatency(
  url: string,
  samples: number,
  notifyUrl = url,
): Promise<{ longPoll: number[]; polling: number[] }> {
  const longPoll: number[] = [];
  const polling: number[] = [];
  const one = async () => {
    // The widget's way: a long poll held by the server.
    const held = await order(url);
    const seen = status(url, held, 30).then(() => performance.now());
    await new Promise((resolve) => setTimeout(resolve, 50));
    const sent = performance.now();
    await notify(notifyUrl, held);
    longPoll.push((await seen) - sent);

    // The naive way: ask every 2 s (the buyer's first ask falls anywhere in the cycle).
    const asked = await order(url);
    let paidSeen = 0;
    const poller = (async () => {
      await new Promise((resolve) => setTimeout(resolve, Math.random() * 2000));
      while ((await status(url, asked, 0)) !== 'paid')
        await new Promise((resolve) => setTimeout(resolve, 2000));
      paidSeen = performance.now();
    })();
    await new Promise((resolve) => setTimeout(resolve, 100));
    const notified = performance.now();
    await notify(notifyUrl, asked);
    await poller;
    polling.push(paidSeen - notified);
  };
  for (let i = 0; i < samples; i += 10)
    await Promise.all(Array.from({ length: Math.min(10, samples - i) }, one));
  return { longPoll, polling };
}

/**
 * Milliseconds from spawning each server to it listening: the medians of `runs` starts of
 * each, taken in turn (a, b, a, b…), so a drift of the machine's speed during the runs
 * weighs on both alike. One start of each first, not counted, warms the disk cache.
 */
export async function startupMs(
  starts: readonly (() => Promise<RunningServer>)[],
  runs: number,
): Promise<number[]> {
  const times = starts.map((): number[] => []);
  for (let run = -1; run < runs; run++) {
    for (const [i, start] of starts.entries()) {
      const server = await start();
      if (run >= 0) times[i]?.push(server.startMs);
      server.child.kill('SIGKILL');
      await once(server.child, 'exit');
    }
  }
  return times.map(median);
}

/**
 * Wall time of `node ...args` to exit, median of `runs`: the CLI's start, measured as a user
 * waits for it (`node -e 0` in the same run is the floor).
 */
export function commandMs(args: readonly string[], runs: number): number {
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const started = performance.now();
    const result = spawnSync(process.execPath, args, { stdio: 'ignore' });
    if (result.status !== 0) throw new Error(`node ${args.join(' ')} exited ${result.status}`);
    times.push(performance.now() - started);
  }
  return median(times);
}

/** The process's resident memory, in MB. */
export function rssMb(pid: number): number {
  const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return Number(match?.[1] ?? 0) / 1024;
}

/**
 * `/widget.js` may weigh at most this much gzipped, lit-html included (the budget test and
 * `pnpm bench` hold it to this). Issue 17 raised it from 12,000 B for the polish it asked;
 * issue 26 held it by trading Lit's ReactiveElement for the widget's own small base.
 */
export const WIDGET_BUDGET_GZIP_BYTES = 12_800;

const WIDGET = join(import.meta.dirname, '..', '..', '..', 'widget');

/** Gzipped bytes of `/widget.js` and of a bare Lit element, both built by the widget's Vite setup. */
export async function widgetSizes(): Promise<{ widget: number; bareLit: number }> {
  // Beside the dashboard, which depends on Lit (the widget has only lit-html).
  const scratch = join(WIDGET, '..', 'dashboard', '.bench-bare');
  mkdirSync(scratch, { recursive: true });
  try {
    writeFileSync(
      join(scratch, 'bare.ts'),
      `import { html, LitElement } from 'lit';\nclass BareElement extends LitElement { override render() { return html\`<button>pay</button>\`; } }\ncustomElements.define('bare-element', BareElement);\n`,
    );
    writeFileSync(
      join(scratch, 'vite.config.ts'),
      `import base from '${WIDGET}/vite.config.ts';\nexport default { ...base, build: { ...base.build, outDir: '${scratch}/out', lib: { entry: '${scratch}/bare.ts', formats: ['es'], fileName: () => 'bare.js' } } };\n`,
    );
    const vite = join(WIDGET, 'node_modules', 'vite', 'bin', 'vite.js');
    const run = promisify(execFile);
    await run(
      process.execPath,
      [vite, 'build', '--config', join(scratch, 'vite.config.ts'), '--logLevel', 'error'],
      { cwd: WIDGET },
    );
    await run(process.execPath, [vite, 'build', '--outDir', join(scratch, 'widget'), '--logLevel', 'error'], {
      cwd: WIDGET,
    });
    const gz = (file: string) => gzipSync(readFileSync(file), { level: 9 }).length;
    return { widget: gz(join(scratch, 'widget', 'widget.js')), bareLit: gz(join(scratch, 'out', 'bare.js')) };
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

export { percentile };
