import type { ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { join } from 'node:path';
import type { CheckoutResponse, OrderView } from '@igepay/shared';
import { notificationSign } from '@igepay/shared/signing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { TOKEN, tempDir } from '../support/harness.js';
import { ENTRY, listeningAt, runEntry, type ServerProcess } from '../support/process.js';

interface Running {
  readonly child: ChildProcess;
  readonly base: string;
  output(): string;
}

let dir: ReturnType<typeof tempDir>;
const children: ChildProcess[] = [];
beforeEach(() => {
  dir = tempDir();
});
afterEach(() => {
  for (const child of children.splice(0)) child.kill('SIGKILL');
  dir.cleanup();
});

function run(
  env: Record<string, string>,
  script: string = ENTRY.main,
  options: { fileLimit?: number } = {},
): ServerProcess {
  const server = runEntry(env, script, options);
  children.push(server.child);
  return server;
}

async function start(
  env: Record<string, string> = {},
  options: { fileLimit?: number } = {},
): Promise<Running> {
  const server = run(
    {
      IGEPAY_UID: '10001',
      IGEPAY_TOKEN: TOKEN,
      PORT: '0',
      DATABASE_URL: `sqlite:${join(dir.dir, 'igepay.db')}`,
      ...env,
    },
    ENTRY.main,
    options,
  );
  return { ...server, base: await listeningAt(server) };
}

async function stop(running: Running, signal: NodeJS.Signals = 'SIGTERM'): Promise<number | null> {
  const exited = once(running.child, 'exit');
  running.child.kill(signal);
  const [code] = await exited;
  return code as number | null;
}

describe('main (the igepay server process)', () => {
  it('refuses to start on a missing setting, with one line naming it', async () => {
    const { child, output } = run({ IGEPAY_TOKEN: TOKEN, PORT: '0' });
    const [code] = await once(child, 'exit');
    expect(code).toBe(1);
    expect(output().trim()).toMatch(/^igepay: Invalid configuration: IGEPAY_UID is required[^\n]*$/);
    expect(output()).not.toContain(TOKEN);
  });

  it.each([
    [
      'a PUBLIC_URL with a query',
      { PUBLIC_URL: 'https://pay.example.com/?shop=1' },
      'PUBLIC_URL',
      'without a query',
    ],
    [
      'a PUBLIC_URL with a fragment',
      { PUBLIC_URL: 'https://pay.example.com/#x' },
      'PUBLIC_URL',
      'a fragment',
    ],
    [
      'a PUBLIC_URL with credentials',
      { PUBLIC_URL: 'https://me:s3cret-pw@pay.example.com' },
      'PUBLIC_URL',
      'credentials',
    ],
    [
      'a forward URL with credentials',
      {
        IGEPAY_FORWARD_URL: 'https://app:s3cret-pw@app.example.com/hook',
        IGEPAY_FORWARD_SECRET: `whsec_${Buffer.alloc(32, 'f').toString('base64')}`,
      },
      'IGEPAY_FORWARD_URL',
      'must not hold credentials',
    ],
    [
      'a database password with a bare %',
      { DATABASE_URL: 'postgres://igepay:s3cret-pw%zz@127.0.0.1:9/igepay' },
      'DATABASE_URL',
      'write % as %25',
    ],
  ])('refuses to start on %s, in one line without the password', async (_name, env, variable, words) => {
    const { child, output } = run({ IGEPAY_UID: '10001', IGEPAY_TOKEN: TOKEN, PORT: '0', ...env });
    const [code] = await once(child, 'exit');
    expect(code).toBe(1);
    const text = output().trim();
    expect(text).toMatch(new RegExp(`^igepay: Invalid configuration: ${variable} [^\n]*$`));
    expect(text).toContain(words);
    expect(text).not.toContain('s3cret-pw');
    expect(text).not.toMatch(/\bat .*\.(ts|js):\d+/);
  });

  it('tells a person at a terminal where things are, in words, beside the JSON log', async () => {
    const server = runEntry(
      {
        IGEPAY_UID: '10001',
        IGEPAY_TOKEN: TOKEN,
        PORT: '0',
        DATABASE_URL: `sqlite:${join(dir.dir, 'igepay.db')}`,
      },
      ENTRY.main,
      { terminal: true },
    );
    children.push(server.child);
    const deadline = Date.now() + 15_000;
    while (!server.output().includes('Check       igepay doctor') && Date.now() < deadline)
      await new Promise((resolve) => setTimeout(resolve, 50));
    const text = server.output();
    expect(text).toContain('igepay signing server is running (live: real payments, merchant 10001).');
    expect(text).toMatch(/Dashboard\s+off \(set IGEPAY_ADMIN_PASSWORD_HASH/);
    expect(text).toContain(`Database    SQLite ${join(dir.dir, 'igepay.db')}`);
    expect(text).not.toContain(TOKEN);
  });

  it('refuses to start on a port in use, in one line', async () => {
    const taken = createServer().listen(0, '127.0.0.1');
    await once(taken, 'listening');
    const { port } = taken.address() as { port: number };
    try {
      const { child, output } = run({
        IGEPAY_UID: '10001',
        IGEPAY_TOKEN: TOKEN,
        HOST: '127.0.0.1',
        PORT: String(port),
        DATABASE_URL: `sqlite:${join(dir.dir, 'igepay.db')}`,
      });
      const [code] = await once(child, 'exit');
      expect(code).toBe(1);
      expect(output().trim().split('\n').at(-1)).toBe(
        `igepay: cannot listen: 127.0.0.1:${port} is in use (another igepay, or another program): stop it, or set PORT`,
      );
      expect(output()).not.toMatch(/\bat .*\.(ts|js):\d+|"stack"/);
    } finally {
      taken.close();
    }
  });

  it('refuses to start when the database cannot be reached, in one line without its password', async () => {
    // A loopback port nobody listens on.
    const probe = createServer().listen(0, '127.0.0.1');
    await once(probe, 'listening');
    const { port } = probe.address() as { port: number };
    probe.close();
    const { child, output } = run({
      IGEPAY_UID: '10001',
      IGEPAY_TOKEN: TOKEN,
      PORT: '0',
      DATABASE_URL: `postgres://igepay:hunter2-db-secret@127.0.0.1:${port}/shop`,
    });
    const [code] = await once(child, 'exit');
    expect(code).toBe(1);
    expect(output().trim()).toMatch(/^igepay: cannot start: [^\n]*ECONNREFUSED[^\n]*$/);
    expect(output()).not.toContain('hunter2');
    expect(output()).not.toContain(TOKEN);
  });

  it('warns at start, one line each, about a PUBLIC_URL igepay cannot reach, an http gateway behind https and a low file limit', async () => {
    const local = await start({}, { fileLimit: 1024 });
    await expect.poll(() => local.output()).toContain('igepay signing server ready');
    const warnings = (text: string) =>
      text
        .split('\n')
        .filter((line) => line.includes('"config.warning"'))
        .map((line) => JSON.parse(line) as { level: number; setting: string; msg: string });
    // The default PUBLIC_URL is this machine's loopback address, over http.
    expect(warnings(local.output()).map((w) => [w.level, w.setting])).toEqual([
      [40, 'PUBLIC_URL'],
      [40, 'PUBLIC_URL'],
      [40, 'IGEPAY_MAX_CONNECTIONS'],
    ]);
    expect(warnings(local.output())[2]?.msg).toMatch(
      /only 1024 files, so the server holds at most 768 connections/,
    );
    await stop(local);

    // A catalog of one's own turns open amounts off, and the server says so.
    const products = join(dir.dir, 'products.json');
    writeFileSync(products, JSON.stringify({ vip: { name: 'VIP', price: '9.90' } }));
    const https = await start(
      { PUBLIC_URL: 'https://pay.example.com', IGEPAY_PRODUCTS: products },
      { fileLimit: 4096 },
    );
    await expect.poll(() => https.output()).toContain('igepay signing server ready');
    expect(warnings(https.output())).toEqual([
      expect.objectContaining({ setting: 'IGEPAY_GATEWAY_URL', msg: expect.stringContaining('not secure') }),
    ]);
    expect(https.output()).toMatch(
      /"event":"config.open-amounts".*open amounts are off: only catalog products/,
    );
    expect(local.output()).not.toContain('config.open-amounts');
  });

  it.each([
    ['live', ENTRY.main, { IGEPAY_UID: '10001', IGEPAY_TOKEN: TOKEN }],
    ['sandbox', ENTRY.start, {}],
  ] as const)(
    "keeps serving, and stops on SIGTERM, once the %s server's log reader has gone (EPIPE)",
    async (_mode, script, env) => {
      const server = run(
        {
          PORT: '0',
          DATABASE_URL: `sqlite:${join(dir.dir, 'data', 'pipe.db')}`,
          IGEPAY_RATE_LIMIT: '0',
          ...env,
        },
        script,
      );
      const base = await listeningAt(server);
      // The reader takes what it has, and goes (as `| head -c 200` does): every later write is EPIPE.
      server.child.stdout?.destroy();
      server.child.stderr?.destroy();
      for (let i = 0; i < 30; i++) {
        // Refused checkouts log a line each.
        const refused = await fetch(`${base}/api/checkout`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ channel: 'alipay', price: 'not a price' }),
        });
        expect(refused.status).toBe(400);
      }
      await new Promise((resolve) => setTimeout(resolve, 500));
      expect((await fetch(`${base}/healthz`)).status).toBe(200);
      const exited = once(server.child, 'exit');
      server.child.kill('SIGTERM');
      const [code] = await Promise.race([
        exited,
        new Promise<never>((_, reject) =>
          setTimeout(() => reject(new Error('still running 8 s after SIGTERM')), 8000),
        ),
      ]);
      expect(code).toBe(0);
    },
  );

  it('serves, closes cleanly on SIGTERM and SIGINT, and keeps every order across restarts', async () => {
    const first = await start();
    expect((await fetch(`${first.base}/healthz`)).status).toBe(200);
    const orders: CheckoutResponse[] = [];
    for (const price of ['1.00', '2.50', '3.33']) {
      const response = await fetch(`${first.base}/api/checkout`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ channel: 'alipay', price, order_name: '测试' }),
      });
      orders.push((await response.json()) as CheckoutResponse);
    }
    const paid = orders[1] as CheckoutResponse;
    const notify = await fetch(`${first.base}/api/igepay/notify`, {
      method: 'POST',
      body: new URLSearchParams({
        pay_num: 'P-restart',
        order_id: paid.order_id,
        price: paid.gateway.fields.price,
        code: '0000',
        key: paid.gateway.fields.key,
        sign: notificationSign({ order_id: paid.order_id, price: paid.gateway.fields.price }, TOKEN),
      }),
    });
    expect(await notify.text()).toBe('success');
    // A long poll held at shutdown is answered, not cut off.
    const pending = orders[0] as CheckoutResponse;
    const held = fetch(
      `${first.base}/api/orders/${pending.order_id}?client_secret=${pending.client_secret}&wait=30`,
    );
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(await stop(first)).toBe(0);
    expect(((await (await held).json()) as OrderView).status).toBe('pending');
    expect(first.output()).toContain('shutting down');

    const second = await start();
    const statuses = [];
    for (const order of orders) {
      const response = await fetch(
        `${second.base}/api/orders/${order.order_id}?client_secret=${order.client_secret}`,
      );
      statuses.push(((await response.json()) as OrderView).status);
    }
    expect(statuses).toEqual(['pending', 'paid', 'pending']);
    expect(await stop(second, 'SIGINT')).toBe(0);

    for (const output of [first.output(), second.output()]) {
      expect(output).not.toContain(TOKEN);
      for (const order of orders) expect(output).not.toContain(order.client_secret);
    }
  });
});

describe('start (the demo: pnpm start)', () => {
  it('runs the sandbox on the port the system picked, prints where to go, and sells', async () => {
    const { child, output } = run(
      { PORT: '0', DATABASE_URL: `sqlite:${join(dir.dir, 'data', 'igepay.db')}` },
      ENTRY.start,
    );
    const deadline = Date.now() + 15_000;
    let shop: string | undefined;
    while (shop === undefined && Date.now() < deadline && child.exitCode === null) {
      shop = /Demo shop\s+(http:\/\/127\.0\.0\.1:\d+)\//.exec(output())?.[1];
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    expect(shop, output()).toBeDefined();
    const base = shop as string;
    expect(base).not.toMatch(/:0$/);
    // The dashboard is named too: off, and how to turn it on.
    expect(output()).toMatch(/Dashboard\s+off \(set IGEPAY_ADMIN_PASSWORD_HASH/);

    const page = await (await fetch(`${base}/`)).text();
    const config = await (await fetch(`${base}/api/config`)).json();
    expect(config).toMatchObject({
      sandbox: true,
      products: { 'vip-month': { name: 'VIP会员（月卡）', price: '30.00' } },
    });
    expect(page).toContain('<script type="module" src="/widget.js"></script>');
    expect(page).toContain('<igepay-button id="buy-vip-month" product="vip-month"');
    expect(page).toContain('<igepay-button id="donate" presets=');
    const checkout = await fetch(`${base}/api/checkout`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ channel: 'wechat', product: 'vip-month' }),
    });
    const order = (await checkout.json()) as CheckoutResponse;
    expect(order.gateway.action).toBe(`${base}/sandbox/Home/Pay/payFor`);
    expect(order.gateway.fields.notify_url).toBe(`${base}/api/igepay/notify`);
    const posted = await fetch(order.gateway.action, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
      body: new URLSearchParams(order.gateway.fields as Record<string, string>),
    });
    expect(await posted.json()).toMatchObject({ code: 0, price: '30.00', channel: 'wechat' });
    // Its orders say they are not live.
    const status = await fetch(`${base}/api/orders/${order.order_id}?client_secret=${order.client_secret}`);
    expect(await status.json()).toMatchObject({ status: 'pending', livemode: false });
    expect(await stop({ child, base, output }, 'SIGTERM')).toBe(0);

    // A live server never opens the sandbox's database, and says so in one line.
    const live = run({
      IGEPAY_UID: '10001',
      IGEPAY_TOKEN: TOKEN,
      PORT: '0',
      DATABASE_URL: `sqlite:${join(dir.dir, 'data', 'igepay.db')}`,
    });
    const [code] = await once(live.child, 'exit');
    expect(code).toBe(1);
    expect(live.output().trim()).toMatch(
      /^igepay: cannot start: the database was made by the sandbox \(IGEPAY_SANDBOX=1\)[^\n]*$/,
    );
  });
});

describe('fulfillment across a crash', () => {
  it('delivers, after a SIGKILL and a restart, the event of an order paid while the app was down', async () => {
    const received: string[] = [];
    const app = createServer((request, response) => {
      let body = '';
      request.on('data', (chunk) => {
        body += String(chunk);
      });
      request.on('end', () => {
        received.push(body);
        response.end('ok');
      });
    });
    // The merchant app is down at first: its port is known, nothing listens yet.
    await new Promise<void>((resolve) => app.listen(0, '127.0.0.1', resolve));
    const address = app.address();
    const port = typeof address === 'object' && address ? address.port : 0;
    await new Promise((resolve) => app.close(resolve));
    const forward = {
      IGEPAY_FORWARD_URL: `http://127.0.0.1:${port}/events`,
      IGEPAY_FORWARD_SECRET: 'whsec_Zm9yd2FyZC1zZWNyZXQtZm9yLXRlc3RzLTAxMjM0NTY=',
      IGEPAY_FORWARD_RETRY_SECONDS: '0.2',
    };

    const first = await start(forward);
    const order = (await (
      await fetch(`${first.base}/api/checkout`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ channel: 'alipay', price: '5.00' }),
      })
    ).json()) as CheckoutResponse;
    const notify = await fetch(`${first.base}/api/igepay/notify`, {
      method: 'POST',
      body: new URLSearchParams({
        pay_num: 'P-crash',
        order_id: order.order_id,
        price: '5.00',
        code: '0000',
        key: order.gateway.fields.key,
        sign: notificationSign({ order_id: order.order_id, price: '5.00' }, TOKEN),
      }),
    });
    expect(await notify.text()).toBe('success');
    const deadline = Date.now() + 10_000;
    while (!first.output().includes('event.retry') && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    expect(first.output()).toContain('event.retry');
    expect(await stop(first, 'SIGKILL')).toBe(null);

    await new Promise<void>((resolve) => app.listen(port, '127.0.0.1', resolve));
    try {
      const second = await start(forward);
      const until = Date.now() + 15_000;
      while (received.length === 0 && Date.now() < until)
        await new Promise((resolve) => setTimeout(resolve, 50));
      expect(received.map((body) => JSON.parse(body).id)).toEqual([`evt_paid_${order.order_id}`]);
      expect(await stop(second)).toBe(0);
    } finally {
      await new Promise((resolve) => app.close(resolve));
    }
  });
});
