import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { readFileSync, statSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { join } from 'node:path';
import { requestKey } from '@igepay/shared/signing';
import type { FastifyInstance } from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import { VECTORS } from '../../../shared/test/vectors.js';
import { ConfigError } from '../../src/config/env.js';
import { CREDENTIALS_FILE } from '../../src/sandbox/credentials.js';
import { DEFAULT_RETRY_SECONDS, parseSimulatorSettings } from '../../src/sandbox/settings.js';
import { GatewaySimulator } from '../../src/sandbox/simulator.js';
import { buildSimulatorApp, loadStandaloneConfig } from '../../src/sandbox/standalone.js';
import { tempDir } from '../support/harness.js';
import { ENTRY, SERVER_DIR } from '../support/process.js';
import { formBody } from '../support/sandbox-harness.js';

const closers: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  for (const close of closers.splice(0).reverse()) await close();
});

/** The standalone simulator on loopback, for the document's test merchant (10001, test token). */
async function simulator(env: Record<string, string> = {}): Promise<{ app: FastifyInstance; base: string }> {
  const dir = tempDir();
  closers.push(async () => dir.cleanup());
  const config = loadStandaloneConfig({
    IGEPAY_SANDBOX_UID: '10001',
    IGEPAY_SANDBOX_TOKEN: VECTORS.token,
    IGEPAY_SANDBOX_RETRY_SECONDS: '0.05,0.05,0.05,0.05,0.05',
    ...env,
  });
  const app = await buildSimulatorApp(config, { logger: false });
  closers.push(() => app.close());
  const base = await app.listen({ port: 0, host: '127.0.0.1' });
  return { app, base };
}

/** A merchant notify endpoint on loopback that answers with `replies` in turn (the last one repeats). */
async function receiver(replies: Array<{ status?: number; body: string }>) {
  const received: Array<Record<string, string>> = [];
  const server: Server = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk) => {
      body += String(chunk);
    });
    request.on('end', () => {
      received.push(Object.fromEntries(new URLSearchParams(body)));
      const reply = replies[Math.min(received.length - 1, replies.length - 1)] ?? { body: 'success' };
      response.writeHead(reply.status ?? 200, { 'content-type': 'text/plain' }).end(reply.body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  closers.push(() => new Promise((resolve) => server.close(resolve)));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return { url: `http://127.0.0.1:${port}/notify`, received };
}

/** Posts a pay request keyed with the test token and pays it (asking for JSON). */
async function payOrder(base: string, fields: Record<string, string>, faults: string[] = []) {
  const key = requestKey(fields as never, VECTORS.token);
  const opened = await fetch(`${base}/Home/Pay/payFor`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
    body: formBody({ ...fields, key }),
  });
  const { pay_num: payNum } = (await opened.json()) as { pay_num: string };
  const form = new URLSearchParams([
    ['faults_chosen', '1'],
    ...faults.map((f): [string, string] => ['fault', f]),
  ]);
  await fetch(`${base}/pay/${payNum}/pay`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
    body: form.toString(),
  });
  return payNum;
}

async function payment(base: string, payNum: string) {
  const response = await fetch(`${base}/pay/${payNum}`, { headers: { accept: 'application/json' } });
  return (await response.json()) as {
    deliveries: Array<{ state: string; attempts: number; last_reply: string }>;
  };
}

async function until(check: () => Promise<boolean>, ms = 5000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

const ORDER = {
  uid: '10001',
  price: '10.00',
  type: '2',
  return_url: 'http://shop.example.com/api/igepay/return',
  order_id: '201710192541',
};

describe('the standalone simulator', () => {
  it('accepts every request vector of the protocol document', async () => {
    for (const vector of VECTORS.requests) {
      // A fresh simulator for each: the vectors share an order_id.
      // The vectors' shop is not on this machine: the simulator must be told it may notify it.
      const shop = { IGEPAY_SANDBOX_NOTIFY_URLS: 'http://shop.example.com' };
      const plain = await simulator(shop);
      const withUid = await simulator({ ...shop, IGEPAY_SIGN_ORDER_UID: '1' });
      for (const [base, key] of [
        [plain.base, vector.key],
        [withUid.base, vector.key_with_order_uid],
      ] as const) {
        const response = await fetch(`${base}/Home/Pay/payFor`, {
          method: 'POST',
          headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
          body: formBody({ ...vector.fields, key }),
        });
        expect(await response.json(), vector.fields.order_id).toMatchObject({ code: 0 });
      }
    }
  });

  it('signs notifications as the document says: known answers for 10.00 and 10', async () => {
    const { base } = await simulator();
    const merchant = await receiver([{ body: 'success' }]);
    await payOrder(base, { ...ORDER, notify_url: merchant.url });
    await until(async () => merchant.received.length === 1);
    expect(merchant.received[0]).toMatchObject({ price: '10.00', sign: VECTORS.notifications[0].sign });

    const short = await simulator();
    await payOrder(short.base, { ...ORDER, notify_url: merchant.url }, ['short-price']);
    await until(async () => merchant.received.length === 2);
    expect(merchant.received[1]).toMatchObject({ price: '10', sign: VECTORS.notifications[1].sign });
  });

  it('resends until the reply is exactly `success`, the same notification each time, then stops', async () => {
    const { base } = await simulator();
    const merchant = await receiver([
      { body: 'fail', status: 403 },
      { body: 'SUCCESS' },
      { body: 'success\n' },
      { body: 'ok' },
      { body: 'success' },
    ]);
    const payNum = await payOrder(base, { ...ORDER, notify_url: merchant.url });
    await until(async () => (await payment(base, payNum)).deliveries[0]?.state === 'acked');
    expect(merchant.received).toHaveLength(5);
    for (const body of merchant.received) expect(body).toEqual(merchant.received[0]);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(merchant.received).toHaveLength(5);
    expect((await payment(base, payNum)).deliveries[0]).toMatchObject({ attempts: 5, last_reply: 'success' });
  });

  it('keeps resending while the merchant server is down, and gives up after the schedule', async () => {
    const { base } = await simulator({ IGEPAY_SANDBOX_RETRY_SECONDS: '0.05,0.05' });
    // A port that was just free: nothing listens there.
    const probe = createServer();
    await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
    const address = probe.address();
    await new Promise((resolve) => probe.close(resolve));
    const url = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 1}/notify`;
    const payNum = await payOrder(base, { ...ORDER, notify_url: url });
    await until(async () => (await payment(base, payNum)).deliveries[0]?.state === 'gave-up');
    const { deliveries } = await payment(base, payNum);
    expect(deliveries[0]).toMatchObject({
      attempts: 3,
      last_reply: expect.stringMatching(/connection refused/),
    });
  });

  it('stops resending when closed', async () => {
    const { app, base } = await simulator({ IGEPAY_SANDBOX_RETRY_SECONDS: '0.2' });
    const merchant = await receiver([{ body: 'fail' }]);
    await payOrder(base, { ...ORDER, notify_url: merchant.url });
    await until(async () => merchant.received.length === 1);
    await app.close();
    await new Promise((resolve) => setTimeout(resolve, 400));
    expect(merchant.received).toHaveLength(1);
  });

  it('shows its pay URL and uid on its front page, never the token', async () => {
    const { base } = await simulator();
    const page = await (await fetch(`${base}/?lang=en`)).text();
    expect(page).toContain(`${base}/Home/Pay/payFor`);
    expect(page).toContain('10001');
    expect(page).not.toContain(VECTORS.token);
  });
});

describe('simulator settings', () => {
  it('defaults to a real gateway schedule: 15 s, 15 s, 30 s, 3 min, 10 min, ... about a day', () => {
    const settings = parseSimulatorSettings({});
    expect(settings.retryDelaysMs.slice(0, 5)).toEqual([15_000, 15_000, 30_000, 180_000, 600_000]);
    expect(settings.retryDelaysMs).toHaveLength(DEFAULT_RETRY_SECONDS.length);
    expect(settings.faults.size).toBe(0);
    expect(settings.returnDelayMs).toBe(2000);
  });

  it.each([
    ['IGEPAY_SANDBOX_FAULTS', 'duplicate,teleport', /comma-separated list of: duplicate/],
    ['IGEPAY_SANDBOX_RETRY_SECONDS', '15,soon', /seconds/],
    ['IGEPAY_SANDBOX_DELAY_SECONDS', '-1', /seconds/],
    ['IGEPAY_SANDBOX_PAY_MINUTES', '0', /more than 0/],
  ])('refuses %s=%s naming the variable', (name, value, reason) => {
    expect(() => parseSimulatorSettings({ [name]: value })).toThrow(ConfigError);
    expect(() => parseSimulatorSettings({ [name]: value })).toThrow(new RegExp(`${name} .*`));
    expect(() => parseSimulatorSettings({ [name]: value })).toThrow(reason);
  });

  it('takes no live token: only a sandbox one or the document test token', () => {
    const live = 'f'.repeat(40);
    const error = (() => {
      try {
        loadStandaloneConfig({ IGEPAY_SANDBOX_UID: '10001', IGEPAY_SANDBOX_TOKEN: live });
      } catch (caught) {
        return caught as Error;
      }
      throw new Error('a live token was taken');
    })();
    expect(error).toBeInstanceOf(ConfigError);
    expect(error.message).toMatch(/IGEPAY_SANDBOX_TOKEN must start with sandbox-: igepay has no test mode/);
    expect(error.message).not.toContain(live);
    expect(
      loadStandaloneConfig({ IGEPAY_SANDBOX_UID: '10001', IGEPAY_SANDBOX_TOKEN: 'sandbox-0123456789abcdef' })
        .merchant.uid,
    ).toBe('10001');
    // Nor does the simulator itself, however it is built.
    const config = loadStandaloneConfig({ IGEPAY_SANDBOX_UID: '10001', IGEPAY_SANDBOX_TOKEN: VECTORS.token });
    expect(
      () =>
        new GatewaySimulator({
          merchant: { ...config.merchant, token: { reveal: () => live } },
          settings: config.settings,
        }),
    ).toThrow(/any other token is a live igepay token/);
  });

  it('notifies only this machine and the URLs it is given', async () => {
    const { base } = await simulator();
    const fields = { ...VECTORS.requests[0].fields, order_id: 'far-away-1' };
    const response = await fetch(`${base}/Home/Pay/payFor`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
      body: formBody({ ...fields, key: requestKey(fields as never, VECTORS.token) }),
    });
    expect(response.status).toBe(400);
    const body = (await response.json()) as { code: number; msg: string };
    expect(body.code).toBe(1008);
    expect(JSON.stringify(body)).toMatch(/http:\/\/shop\.example\.com is not on this machine/);
  });

  it('makes a merchant once per folder, readable by its owner only, unless one is given', () => {
    const dir = tempDir();
    closers.push(async () => dir.cleanup());
    const first = loadStandaloneConfig({ IGEPAY_SANDBOX_DIR: dir.dir });
    const second = loadStandaloneConfig({ IGEPAY_SANDBOX_DIR: dir.dir });
    expect(second.merchant.uid).toBe(first.merchant.uid);
    expect(second.merchant.token.reveal()).toBe(first.merchant.token.reveal());
    expect(first.merchant.token.reveal()).toMatch(/^sandbox-[0-9a-f]{32}$/);
    expect(statSync(join(dir.dir, CREDENTIALS_FILE)).mode & 0o777).toBe(0o600);
    expect(() => loadStandaloneConfig({ IGEPAY_SANDBOX_UID: '10001' })).toThrow(
      /IGEPAY_SANDBOX_TOKEN must be set together/,
    );
  });
});

describe('pnpm sandbox (the simulator as its own process)', () => {
  it('starts on the port the system picked, prints its pay URL and uid but not the token, stops on SIGTERM', async () => {
    const dir = tempDir();
    closers.push(async () => dir.cleanup());
    const child = spawn(process.execPath, ['--conditions=@igepay/source', '--import', 'tsx', ENTRY.sandbox], {
      cwd: SERVER_DIR,
      env: { PATH: process.env.PATH ?? '', PORT: '0', IGEPAY_SANDBOX_DIR: dir.dir },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    closers.push(async () => child.kill('SIGKILL'));
    let output = '';
    child.stdout.on('data', (chunk) => {
      output += String(chunk);
    });
    child.stderr.on('data', (chunk) => {
      output += String(chunk);
    });
    const deadline = Date.now() + 15_000;
    let payUrl: string | undefined;
    while (payUrl === undefined && Date.now() < deadline && child.exitCode === null) {
      payUrl = /Pay URL\s+(http:\/\/127\.0\.0\.1:\d+\/Home\/Pay\/payFor)/.exec(output)?.[1];
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    expect(payUrl, output).toBeDefined();
    const stored = JSON.parse(readFileSync(join(dir.dir, CREDENTIALS_FILE), 'utf8')) as {
      uid: string;
      token: string;
    };
    expect(output).toContain(stored.uid);
    expect(output).not.toContain(stored.token);

    const refused = await fetch(payUrl as string, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
      body: 'uid=1',
    });
    expect(await refused.json()).toMatchObject({ code: 1001 });
    const exited = once(child, 'exit');
    child.kill('SIGTERM');
    expect((await exited)[0]).toBe(0);
  });
});
