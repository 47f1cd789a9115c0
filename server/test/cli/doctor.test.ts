import { writeFileSync } from 'node:fs';
import { createServer, type RequestListener, type Server } from 'node:http';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { buildApp } from '../../src/app.js';
import { loadConfig } from '../../src/config/config.js';
import { TOKEN, tempDir } from '../support/harness.js';
import { runCli } from '../support/process.js';
import { listenDual, listenHttps, makeTestTls, type TestTls } from '../support/tls.js';

// `igepay doctor` against servers on loopback: the live signing server and a gateway over
// HTTPS with a test CA's certificate (trusted through NODE_EXTRA_CA_CERTS, as a merchant's
// own CA would be), and the merchant app's event endpoint. Names resolve with --resolve.

const TOKEN40 = '3f6c2a9e1d7b4085c2e9f01a6b3d8c7e5f4a2b19';
const RESOLVE = ['--resolve', 'shop.example.com:127.0.0.1', '--resolve', 'gateway.example.com:127.0.0.1'];

let tls: TestTls;
let dir: ReturnType<typeof tempDir>;
let app: FastifyInstance;
let shopPort: number;
let gatewayPort: number;
let skewedPort: number;
let hooksPort: number;
const closers: Array<{ close(callback?: () => void): unknown }> = [];

/** Settings of a good live configuration; `changes` override (undefined removes). */
function liveEnv(changes: Record<string, string | undefined> = {}): Record<string, string> {
  const env: Record<string, string | undefined> = {
    IGEPAY_UID: '10086',
    IGEPAY_TOKEN: TOKEN40,
    PUBLIC_URL: `https://shop.example.com:${shopPort}`,
    IGEPAY_GATEWAY_URL: `https://gateway.example.com:${gatewayPort}/Home/Pay/payFor`,
    IGEPAY_ALLOWED_ORIGINS: 'https://shop.example.com',
    IGEPAY_FORWARD_URL: `http://127.0.0.1:${hooksPort}/igepay-events`,
    IGEPAY_FORWARD_SECRET: `whsec_${Buffer.alloc(32, 'f').toString('base64')}`,
    DATABASE_URL: `sqlite:${join(dir.dir, 'igepay.db')}`,
    NODE_EXTRA_CA_CERTS: tls.caFile,
    ...changes,
  };
  return Object.fromEntries(
    Object.entries(env).filter((entry): entry is [string, string] => entry[1] !== undefined),
  );
}

async function doctor(env: Record<string, string>, args: string[] = RESOLVE) {
  const result = await runCli(['doctor', ...args], env);
  const json = await runCli(['--json', 'doctor', ...args], env);
  return {
    ...result,
    report: JSON.parse(json.stdout) as {
      ok: boolean;
      checks: Array<{ name: string; status: string; message: string }>;
    },
  };
}

/** The checks that fail with each bad setup, when more than the one named. */
const FAILING: Readonly<Record<string, string[]>> = {
  // Loopback by name, and nothing listens there either.
  'a loopback PUBLIC_URL': ['public url', 'public url'],
  // Both HTTPS servers use the test CA's certificate.
  'an untrusted certificate': ['public url', 'gateway'],
};

const statusOf = (report: { checks: Array<{ name: string; status: string }> }, name: string) =>
  report.checks.filter((check) => check.name === name).map((check) => check.status);

function listenHttp(handler: RequestListener): Promise<{ server: Server; port: number }> {
  const server = createServer(handler);
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () =>
      resolve({ server, port: (server.address() as { port: number }).port }),
    ),
  );
}

beforeAll(async () => {
  tls = makeTestTls();
  dir = tempDir();
  // A PHP gateway answers a GET of its pay page with some page; that it answers is what counts.
  const gatewayPage: RequestListener = (_req, res) =>
    res.writeHead(200, { 'content-type': 'text/html' }).end('<p>参数错误</p>');
  const gateway = await listenHttps(tls, gatewayPage);
  gatewayPort = gateway.port;
  const skewed = await listenHttps(tls, (_req, res) =>
    res.writeHead(200, { date: new Date(Date.now() - 2 * 3_600_000).toUTCString() }).end('ok'),
  );
  skewedPort = skewed.port;
  // The merchant app refuses an unsigned event, as it should.
  const hooks = await listenHttp((_req, res) => res.writeHead(400).end('bad signature'));
  hooksPort = hooks.port;
  closers.push(gateway.server, skewed.server, hooks.server);

  // The live signing server itself, over HTTPS.
  const https = await listenHttps(tls);
  shopPort = https.port;
  app = await buildApp({ config: loadConfig(liveEnv()), server: https.server, logger: false });
  await app.ready();
}, 60_000);

afterAll(async () => {
  await app?.close();
  for (const server of closers) await new Promise<void>((resolve) => server.close(() => resolve()));
  tls?.cleanup();
  dir?.cleanup();
});

describe('igepay doctor', () => {
  it('passes a good live setup over HTTPS, one line per check', async () => {
    const { code, stdout, report } = await doctor(liveEnv());
    expect(report.checks.filter((check) => check.status === 'fail')).toEqual([]);
    expect(code, stdout).toBe(0);
    for (const name of [
      'settings',
      'database',
      'public url',
      'gateway',
      'clock',
      'allowed origins',
      'forward url',
    ]) {
      expect(stdout).toMatch(new RegExp(`^[✓!] ${name}\\s`, 'm'));
    }
    expect(stdout).toMatch(/^✓ public url\s+https:\/\/shop\.example\.com:\d+\/healthz answers/m);
    expect(stdout).toMatch(
      /^✓ gateway\s+https:\/\/gateway\.example\.com:\d+\/Home\/Pay\/payFor answers over https/m,
    );
    expect(stdout).toMatch(/^✓ forward url\s+.*HTTP 400 to an unsigned test event/m);
    // Reached through --resolve, the name is a loopback address here: said, not blocking.
    expect(statusOf(report, 'public url')).toEqual(['warn', 'pass']);
    expect(stdout).toContain('Nothing blocks going live.');
    expect(stdout + JSON.stringify(report)).not.toContain(TOKEN40);
  });

  it.each([
    ['a missing token', { IGEPAY_TOKEN: undefined }, 'settings', /IGEPAY_TOKEN is required/],
    ['sandbox mode', { IGEPAY_SANDBOX: '1' }, 'settings', /IGEPAY_SANDBOX=1 is set/],
    [
      'a database it cannot write',
      { DATABASE_URL: 'sqlite:/dev/null/igepay.db' },
      'database',
      /Check DATABASE_URL/,
    ],
    [
      'a loopback PUBLIC_URL',
      { PUBLIC_URL: 'https://127.0.0.1:9' },
      'public url',
      /loopback or private address.*set PUBLIC_URL/,
    ],
    [
      'nothing at PUBLIC_URL',
      { PUBLIC_URL: 'https://shop.example.com:9' },
      'public url',
      /does not answer \(nothing listens there\): start the server/,
    ],
    [
      'an untrusted certificate',
      { NODE_EXTRA_CA_CERTS: undefined },
      'public url',
      /trusted here\): serve a certificate that igepay and browsers trust/,
    ],
    [
      'a gateway that does not answer',
      { IGEPAY_GATEWAY_URL: 'https://gateway.example.com:9/Home/Pay/payFor' },
      'gateway',
      /check IGEPAY_GATEWAY_URL/,
    ],
    [
      'a forward URL that does not answer',
      { IGEPAY_FORWARD_URL: 'http://127.0.0.1:9/events' },
      'forward url',
      /check IGEPAY_FORWARD_URL/,
    ],
  ])('fails on %s, naming the fix', async (_name, changes, check, message) => {
    const { code, stdout, report } = await doctor(liveEnv(changes));
    expect(code, stdout).toBe(2);
    const failed = report.checks.find((c) => c.name === check && c.status === 'fail');
    expect(failed?.message, stdout).toMatch(message);
    // One cause, one line for it (and only the checks that depend on it fail as well).
    const failing = report.checks.filter((c) => c.status === 'fail').map((c) => c.name);
    expect(failing, stdout).toEqual(FAILING[_name] ?? [check]);
    expect(stdout).toMatch(/checks? blocks? going live/);
    expect(stdout).not.toContain(TOKEN40);
  });

  it("fails on a clock hours away from the gateway's", async () => {
    const { code, report } = await doctor(
      liveEnv({ IGEPAY_GATEWAY_URL: `https://gateway.example.com:${skewedPort}/Home/Pay/payFor` }),
    );
    expect(code).toBe(2);
    expect(report.checks.find((c) => c.name === 'clock')).toMatchObject({
      status: 'fail',
      message: expect.stringMatching(/ 7(19\d|20\d) s ahead of the gateway: synchronise it \(NTP\)/),
    });
  });

  it('fails on an http:// gateway that also answers over https, naming the https address to set', async () => {
    const dual = await listenDual(tls, (_req, res) => res.writeHead(200).end('ok'));
    onTestFinished(dual.close);
    const plainUrl = `http://gateway.example.com:${dual.port}/Home/Pay/payFor`;
    const { code, report } = await doctor(liveEnv({ IGEPAY_GATEWAY_URL: plainUrl }));
    expect(code).toBe(2);
    expect(report.checks.find((c) => c.name === 'gateway')).toMatchObject({
      status: 'fail',
      message: expect.stringContaining(
        `set IGEPAY_GATEWAY_URL=https://gateway.example.com:${dual.port}/Home/Pay/payFor, or browsers stop buyers`,
      ),
    });
  });

  it('warns, without blocking, on a token that is not 40 hex characters and on default origins', async () => {
    const { code, report } = await doctor(
      liveEnv({ IGEPAY_TOKEN: TOKEN, IGEPAY_ALLOWED_ORIGINS: undefined }),
    );
    expect(code).toBe(0);
    expect(statusOf(report, 'settings')).toEqual(['warn']);
    expect(report.checks.find((c) => c.name === 'allowed origins')?.message).toMatch(
      /set IGEPAY_ALLOWED_ORIGINS/,
    );
    expect(JSON.stringify(report)).not.toContain(TOKEN);
  });

  it('warns when the server listens on loopback behind a proxy it does not trust, and passes one it does', async () => {
    const untrusted = await doctor(liveEnv({ HOST: '127.0.0.1' }));
    expect(untrusted.code).toBe(0);
    expect(untrusted.report.checks.find((c) => c.name === 'proxy')).toMatchObject({
      status: 'warn',
      message: expect.stringContaining('set IGEPAY_TRUST_PROXY=127.0.0.1'),
    });
    const trusted = await doctor(liveEnv({ HOST: '127.0.0.1', IGEPAY_TRUST_PROXY: '127.0.0.1' }));
    expect(statusOf(trusted.report, 'proxy')).toEqual(['pass']);
    // Listening on every address, it may be reached directly: nothing to say.
    expect(statusOf((await doctor(liveEnv({ HOST: '0.0.0.0' }))).report, 'proxy')).toEqual([]);
  });

  it('fails on an http:// shop origin, which anyone on the way could rewrite', async () => {
    const { code, report } = await doctor(
      liveEnv({ IGEPAY_ALLOWED_ORIGINS: 'https://shop.example.com,http://old-shop.example.com' }),
    );
    expect(code).toBe(2);
    expect(report.checks.find((c) => c.name === 'allowed origins')).toMatchObject({
      status: 'fail',
      message: expect.stringContaining('http://old-shop.example.com is http://'),
    });
  });

  it('refuses a malformed --resolve with a usage line', async () => {
    const { code, stderr } = await runCli(['doctor', '--resolve', 'nonsense'], liveEnv());
    expect(code).toBe(1);
    expect(stderr).toContain('--resolve must be host:address');
  });
});

// The server says the same at start, one line each (docs/first-live-payment.md).
describe('start-up warnings of a live server', () => {
  it('name a loopback PUBLIC_URL, an http:// one, and an http:// gateway behind https pages', async () => {
    const { liveWarnings } = await import('../../src/config/live-warnings.js');
    const products = join(dir.dir, 'none.json');
    writeFileSync(products, '{}');
    const base = { IGEPAY_UID: '1', IGEPAY_TOKEN: TOKEN, DATABASE_URL: `sqlite:${join(dir.dir, 'w.db')}` };
    const messages = (env: Record<string, string>) =>
      liveWarnings(loadConfig({ ...base, ...env })).map((w) => w.message);
    expect(messages({ PUBLIC_URL: 'http://127.0.0.1:8787' })).toEqual([
      expect.stringMatching(/^PUBLIC_URL http:\/\/127\.0\.0\.1:8787 is a loopback or private address/),
      expect.stringMatching(/^PUBLIC_URL http:\/\/127\.0\.0\.1:8787 is http:\/\//),
    ]);
    expect(messages({ PUBLIC_URL: 'https://10.1.2.3' })).toHaveLength(2); // private, and the default http:// gateway
    expect(messages({ PUBLIC_URL: 'https://pay.example.com' })).toEqual([
      expect.stringMatching(
        /gateway http:\/\/www\.igepay\.com\/Home\/Pay\/payFor is http:\/\/ while your pages are https:\/\/: .*set IGEPAY_GATEWAY_URL/,
      ),
    ]);
    expect(
      messages({
        PUBLIC_URL: 'https://pay.example.com',
        IGEPAY_GATEWAY_URL: 'https://www.igepay.com/Home/Pay/payFor',
      }),
    ).toEqual([]);
    for (const host of [
      '[::1]',
      'localhost',
      'app.localhost',
      '192.168.1.5',
      '172.20.0.1',
      '[fd00::1]',
      '[::ffff:127.0.0.1]',
    ]) {
      expect(messages({ PUBLIC_URL: `https://${host}` })[0], host).toMatch(/loopback or private/);
    }
  });
});
