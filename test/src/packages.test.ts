/**
 * The published packages as a merchant gets them: each one packed as `pnpm publish` would
 * (its `prepack` build, the manifest as published), every file of every tarball checked, and
 * the three installed with npm into an empty project, where the `igepay` CLI and the server
 * run and the packages' types compile.
 */
import { execFile, spawn } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { isBuiltin } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, normalize } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { promisify } from 'node:util';
import { hashPassword } from '@igepay/server';
import type { CheckoutResponse } from '@igepay/shared';
import ts from 'typescript';
import { build } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from './e2e/world.js';
import { ensureOtherRuntime } from './matrix/runtimes.js';
import { merchantEnv } from './merchant-env.js';
import { SERVE_COMMAND } from './serve-command.js';

const run = promisify(execFile);
const ROOT = join(import.meta.dirname, '..', '..');
const PACKAGES = ['webhook', 'shared', 'server', 'widget'] as const;
const TOKEN = 'a1b2c3d4e5f6a7b8c9d0e1f2a3b4c5d6';
/** The lowest Fastify the server's peer range takes. */
const MERCHANT_FASTIFY = '5.12.2';

/** A file that is there to work on a package, not to use it. */
const NOT_FOR_USERS = [
  /\.(test|spec)\.[cm]?[jt]s$/,
  /(^|\/)(src|test|tests|testing|__tests__|fixtures|scripts|support)\//,
  /\.map$/,
  /(^|\/)tsconfig[^/]*\.json$/,
  /\.tsbuildinfo$/,
  /(?<!\.d)\.[cm]?ts$/, // TypeScript sources (declarations are fine)
  /(^|\/)(vite|vitest|web-test-runner|custom-elements-manifest)\.config\./,
];

interface Manifest {
  name: string;
  exports?: unknown;
  bin?: Record<string, string>;
  scripts?: unknown;
  devDependencies?: unknown;
  dependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
}

interface Packed {
  readonly tarball: string;
  readonly root: string;
  readonly files: string[];
  readonly manifest: Manifest;
}

let work: string;
const packed = new Map<(typeof PACKAGES)[number], Packed>();

/** pnpm, from PATH. */
function pnpm(args: string[], cwd: string) {
  return run('pnpm', args, { cwd, maxBuffer: 1 << 24 });
}

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'igepay-packages-'));
  for (const name of PACKAGES) {
    const out = join(work, 'tarballs', name);
    mkdirSync(out, { recursive: true });
    await pnpm(['pack', '--pack-destination', out], join(ROOT, name));
    const tarball = join(out, `igepay-${name}-0.1.0.tgz`);
    const root = join(work, 'unpacked', name);
    mkdirSync(root, { recursive: true });
    await run('tar', ['-xzf', tarball, '-C', root]);
    const { stdout } = await run('tar', ['-tzf', tarball]);
    const files = stdout
      .split('\n')
      .filter((line) => line !== '' && !line.endsWith('/'))
      .map((line) => line.replace(/^package\//, ''))
      .sort();
    const manifest = JSON.parse(readFileSync(join(root, 'package', 'package.json'), 'utf8')) as Manifest;
    packed.set(name, { tarball, root: join(root, 'package'), files, manifest });
  }
}, 240_000);

afterAll(() => rmSync(work, { recursive: true, force: true }));

/** Runs `bin` until it says where it listens; `stop` ends it with SIGTERM. */
async function runUntilListening(
  bin: string,
  options: { args?: string[]; cwd: string; env: Record<string, string> },
) {
  const child = spawn(bin, options.args ?? [], {
    cwd: options.cwd,
    env: options.env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const listening = new Promise<string>((resolve, reject) => {
    const read = (chunk: Buffer) => {
      output += String(chunk);
      const match = /Server listening at (http:\/\/127\.0\.0\.1:\d+)/.exec(output);
      if (match?.[1]) resolve(match[1]);
    };
    child.stdout.on('data', read);
    child.stderr.on('data', read);
    child.once('exit', () => reject(new Error(`${bin} exited:\n${output}`)));
  });
  const url = await listening;
  return {
    url,
    output: () => output,
    /** Ends it with SIGTERM; resolves with its exit code. */
    stop: async () => {
      const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
      child.kill('SIGTERM');
      return exited;
    },
  };
}

/**
 * A buyer's purchase on the sandbox server at `url`: a checkout, the signed form posted to the
 * simulated gateway and paid there, and the long poll that sees the verified payment.
 */
async function buysInSandbox(url: string): Promise<void> {
  const checkout = await fetch(`${url}/api/checkout`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    // A product of the demo shop's catalog: the sandbox takes no open amounts.
    body: JSON.stringify({ channel: 'wechat', product: 'coffee-beans' }),
  });
  expect(checkout.status, await checkout.clone().text()).toBe(201);
  const order = (await checkout.json()) as CheckoutResponse;
  // The buyer's browser posts the signed form to the (simulated) gateway, and pays there.
  const opened = await fetch(order.gateway.action, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
    body: new URLSearchParams(order.gateway.fields as Record<string, string>).toString(),
  });
  expect(opened.status, await opened.clone().text()).toBe(200);
  const { pay_num: payNum } = (await opened.json()) as { pay_num: string };
  // The element's long poll, held while the buyer pays: it answers when the payment is verified.
  const statusUrl = `${url}/api/orders/${order.order_id}?client_secret=${encodeURIComponent(order.client_secret)}`;
  const held = fetch(`${statusUrl}&wait=20`);
  const paid = await fetch(`${url}/sandbox/pay/${payNum}/pay`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
    body: 'faults_chosen=1',
  });
  expect(paid.status, await paid.clone().text()).toBe(200);
  // Paid once the simulator's signed notification has been verified: the status says so.
  expect(await (await held).json()).toMatchObject({
    status: 'paid',
    product: 'coffee-beans',
    price: '68.00',
    livemode: false,
  });
}

/** Every entry point of the server and shared packages, imported: prints one line each. */
const IMPORT_EVERY_ENTRY = `for (const entry of ${JSON.stringify([
  '@igepay/server',
  '@igepay/server/postgres',
  '@igepay/server/sandbox',
  '@igepay/shared',
  '@igepay/shared/browser',
  '@igepay/shared/signing',
  '@igepay/shared/webhook',
])}) { const m = await import(entry); console.log(entry, Object.keys(m).length); }`;

/** The version of `name` this workspace's tests use. */
function testVersion(name: string): string {
  return JSON.parse(readFileSync(join(ROOT, 'test', 'node_modules', name, 'package.json'), 'utf8')).version;
}

/** Every string a package.json `exports` value points at. */
function targets(exports: unknown): string[] {
  if (typeof exports === 'string') return [exports];
  if (typeof exports !== 'object' || exports === null) return [];
  return Object.values(exports).flatMap(targets);
}

/** The package a bare specifier names (`@scope/name/sub` -> `@scope/name`). */
function packageOf(specifier: string): string {
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? `${parts[0]}/${parts[1]}` : (parts[0] ?? specifier);
}

describe.each(PACKAGES)('the @igepay/%s tarball', (name) => {
  const pkg = () => packed.get(name) as Packed;

  it('holds only what users run, with a README and the licence', () => {
    const { files } = pkg();
    expect(files.length).toBeGreaterThan(5);
    expect(files.filter((file) => NOT_FOR_USERS.some((pattern) => pattern.test(file)))).toEqual([]);
    expect(files).toContain('README.md');
    expect(files).toContain('LICENSE');
    expect(readFileSync(join(pkg().root, 'LICENSE'), 'utf8')).toMatch(/^MIT License/);
  });

  it('ships no build output of a source that no longer exists', () => {
    const { files } = pkg();
    const stale = files.filter((file) => {
      const built =
        /^dist\/(?:lib\/|esm\/|cjs\/)?(.+?)(?:\.d)?\.js$|^dist\/(?:lib\/|esm\/|cjs\/)?(.+?)\.d\.ts$/.exec(
          file,
        );
      if (!built || /^dist\/widget\.js/.test(file)) return false;
      const stem = built[1] ?? built[2];
      return !['ts', 'js'].some((ext) => existsSync(join(ROOT, name, 'src', `${stem}.${ext}`)));
    });
    expect(stale).toEqual([]);
  });

  it('is published without the source condition, scripts or devDependencies, and every entry exists', () => {
    const { manifest, files } = pkg();
    expect(JSON.stringify(manifest.exports)).not.toContain('@igepay/source');
    expect(manifest.scripts).toBeUndefined();
    expect(manifest.devDependencies).toBeUndefined();
    for (const target of [...targets(manifest.exports), ...Object.values(manifest.bin ?? {})]) {
      expect(files, `${target} is named in package.json`).toContain(normalize(target));
    }
    for (const bin of Object.values(manifest.bin ?? {})) {
      expect(readFileSync(join(pkg().root, bin), 'utf8')).toMatch(/^#!\/usr\/bin\/env node\n/);
    }
  });

  it('imports nothing that is not shipped with it or one of its dependencies', () => {
    const { manifest, files, root } = pkg();
    const allowed = new Set([
      manifest.name,
      ...Object.keys(manifest.dependencies ?? {}),
      ...Object.keys(manifest.peerDependencies ?? {}),
    ]);
    const problems: string[] = [];
    for (const file of files.filter((f) => /\.(m?js|d\.ts)$/.test(f))) {
      // TypeScript's own scanner: comments and strings are not imports.
      const { importedFiles } = ts.preProcessFile(readFileSync(join(root, file), 'utf8'), true, true);
      for (const { fileName: specifier } of importedFiles) {
        if (specifier.startsWith('.')) {
          const target = normalize(join(dirname(file), specifier));
          const candidates = [target, target.replace(/\.js$/, '.d.ts')];
          if (!candidates.some((candidate) => files.includes(candidate)))
            problems.push(`${file}: ${specifier}`);
        } else if (!isBuiltin(specifier) && !allowed.has(packageOf(specifier))) {
          problems.push(`${file}: ${specifier}`);
        }
      }
    }
    expect(problems).toEqual([]);
  });
});

// The same tarballs with the other package managers merchants use, each with its default
// settings and no compiler. The tarballs depend on one another by version: the project's
// overrides point those at the tarballs, as a merchant installing release tarballs does.
describe.each(['pnpm', 'bun'] as const)('installed with %s into an empty project', (manager) => {
  let project: string;
  let runtime: string;

  beforeAll(async () => {
    project = join(work, `merchant-${manager}`);
    mkdirSync(project);
    const tarballs = Object.fromEntries(
      PACKAGES.map((name) => [`@igepay/${name}`, `file:${(packed.get(name) as Packed).tarball}`]),
    );
    writeFileSync(
      join(project, 'package.json'),
      `${JSON.stringify(
        {
          name: 'merchant',
          private: true,
          type: 'module',
          dependencies: tarballs,
          // pnpm 10, as this repository pins it (corepack runs that one).
          ...(manager === 'pnpm'
            ? {
                packageManager: JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).packageManager,
                pnpm: { overrides: tarballs },
              }
            : { overrides: tarballs }),
        },
        null,
        2,
      )}\n`,
    );
    runtime = manager === 'bun' ? ensureOtherRuntime('bun') : 'pnpm';
    await run(runtime, ['install'], {
      cwd: project,
      maxBuffer: 1 << 24,
      env: { ...merchantEnv(), CC: '/bin/false', CXX: '/bin/false' },
    });
  }, 300_000);

  it('runs the server from the install: it signs a checkout', async () => {
    const bin = join(project, 'node_modules', '.bin', 'igepay-server');
    const server = await runUntilListening(manager === 'bun' ? runtime : bin, {
      ...(manager === 'bun' && { args: [bin] }),
      cwd: project,
      env: {
        PATH: process.env.PATH ?? '',
        PORT: '0',
        IGEPAY_UID: '10001',
        IGEPAY_TOKEN: TOKEN,
        DATABASE_URL: `sqlite:${join(project, 'data', 'igepay.db')}`,
      },
    });
    try {
      expect((await fetch(`${server.url}/widget.js`)).status).toBe(200);
      const checkout = await fetch(`${server.url}/api/checkout`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ channel: 'alipay', price: '12.30' }),
      });
      expect(checkout.status, await checkout.clone().text()).toBe(201);
    } finally {
      expect(await server.stop()).toBe(0);
    }
  });
});

describe('installed with npm into an empty project', () => {
  let project: string;

  beforeAll(async () => {
    project = join(work, 'merchant');
    mkdirSync(project);
    writeFileSync(
      join(project, 'package.json'),
      `${JSON.stringify({ name: 'merchant', private: true, type: 'module' }, null, 2)}\n`,
    );
    const nodeTypes = JSON.parse(
      readFileSync(join(ROOT, 'node_modules', '@types', 'node', 'package.json'), 'utf8'),
    ) as { version: string };
    await run(
      'npm',
      [
        'install',
        '--no-audit',
        '--no-fund',
        '--prefer-offline',
        ...PACKAGES.map((name) => (packed.get(name) as Packed).tarball),
        `@types/node@${nodeTypes.version}`,
        // The merchant's app is on an older Fastify 5 than this workspace: ours is a peer.
        `fastify@${MERCHANT_FASTIFY}`,
        // And its pages are React 19, server-rendered and typed (the wrapper's and the JSX
        // typings' consumer below)...
        ...['react', 'react-dom', '@types/react'].map((name) => `${name}@${testVersion(name)}`),
        // ...or Lit's, on the Lit the widget's lit-html is part of.
        `lit@${JSON.parse(readFileSync(join(ROOT, 'dashboard', 'node_modules', 'lit', 'package.json'), 'utf8')).version}`,
      ],
      // A merchant's npm, not this workspace's settings (pnpm passes its own on as npm_config_*),
      // on a machine without a compiler: nothing may need one.
      { cwd: project, maxBuffer: 1 << 24, env: { ...merchantEnv(), CC: '/bin/false', CXX: '/bin/false' } },
    );
    // One Fastify in the tree, the app's: the plugin registers on the instance it was given.
    const { stdout: fastifies } = await run('npm', ['ls', 'fastify', '--all', '--parseable'], {
      cwd: project,
      env: merchantEnv(),
    });
    expect(fastifies.trim().split('\n')).toEqual([join(project, 'node_modules', 'fastify')]);
    expect(
      JSON.parse(readFileSync(join(project, 'node_modules', 'fastify', 'package.json'), 'utf8')),
    ).toMatchObject({ version: MERCHANT_FASTIFY });
  }, 300_000);

  it('holds no install script and no native addon anywhere in the tree', () => {
    const found: string[] = [];
    const walk = (dir: string) => {
      for (const entry of readdirSync(dir, { withFileTypes: true })) {
        const path = join(dir, entry.name);
        if (entry.isDirectory()) walk(path);
        else if (entry.name.endsWith('.node')) found.push(path);
        else if (entry.name === 'package.json') {
          const { scripts = {} } = JSON.parse(readFileSync(path, 'utf8')) as { scripts?: object };
          for (const hook of ['preinstall', 'install', 'postinstall'])
            if (hook in scripts) found.push(`${path}: ${hook}`);
        }
      }
    };
    walk(join(project, 'node_modules'));
    expect(found.map((path) => path.slice(project.length))).toEqual([]);
  });

  it('runs igepay --help', async () => {
    const { stdout } = await run(join(project, 'node_modules', '.bin', 'igepay'), ['--help'], {
      cwd: project,
    });
    expect(stdout).toMatch(/^Usage: igepay/);
    for (const command of ['orders', 'order', 'events', 'redeliver', 'reconcile', 'verify-notify']) {
      expect(stdout).toContain(command);
    }
  });

  it('runs the signing server, which signs a checkout and serves the built widget and dashboard', async () => {
    const server = await runUntilListening(join(project, 'node_modules', '.bin', 'igepay-server'), {
      cwd: project,
      env: {
        PATH: process.env.PATH ?? '',
        PORT: '0',
        IGEPAY_UID: '10001',
        IGEPAY_TOKEN: TOKEN,
        DATABASE_URL: `sqlite:${join(project, 'data', 'igepay.db')}`,
        IGEPAY_ADMIN_PASSWORD_HASH: await hashPassword('a long enough password'),
      },
    });
    try {
      expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
      // The dashboard the package was packed with: its page, and the script the page names.
      const page = await fetch(`${server.url}/admin/`);
      expect(page.status).toBe(200);
      const script = /src="\.\/(assets\/[\w.-]+\.js)"/.exec(await page.text())?.[1] ?? '(none)';
      expect((packed.get('server') as Packed).files).toContain(`dashboard/${script}`);
      expect((await fetch(`${server.url}/admin/${script}`)).status).toBe(200);
      const widget = await fetch(`${server.url}/widget.js`);
      expect(widget.status).toBe(200);
      expect(await widget.text()).toBe(
        readFileSync(join((packed.get('widget') as Packed).root, 'dist', 'widget.js'), 'utf8'),
      );
      const checkout = await fetch(`${server.url}/api/checkout`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ channel: 'alipay', price: '12.30' }),
      });
      expect(checkout.status).toBe(201);
      const body = (await checkout.json()) as { gateway: { fields: { price: string; key: string } } };
      expect(body.gateway.fields).toMatchObject({
        price: '12.30',
        key: expect.stringMatching(/^[0-9a-f]{32}$/),
      });
    } finally {
      await server.stop();
    }
    expect(server.output()).not.toContain(TOKEN);
  });

  it('runs igepay serve in sandbox mode, where a buyer pays an order and the server verifies it', async () => {
    // As the Docker image and the systemd unit start it.
    const [bin, ...args] = SERVE_COMMAND;
    const server = await runUntilListening(join(project, 'node_modules', '.bin', bin), {
      args,
      cwd: project,
      env: {
        PATH: process.env.PATH ?? '',
        PORT: '0',
        IGEPAY_SANDBOX: '1',
        DATABASE_URL: `sqlite:${join(project, 'data', 'sandbox.db')}`,
      },
    });
    try {
      await buysInSandbox(server.url);
    } finally {
      expect(await server.stop()).toBe(0);
    }
    expect(server.output()).toContain('sandbox');
  });

  it('stops igepay serve run through npx when npx is stopped (npx passes no signal on)', async () => {
    const server = await runUntilListening('npx', {
      args: [...SERVE_COMMAND],
      cwd: project,
      env: {
        PATH: process.env.PATH ?? '',
        HOME: process.env.HOME ?? '',
        PORT: '0',
        IGEPAY_SANDBOX: '1',
        DATABASE_URL: `sqlite:${join(project, 'data', 'npx.db')}`,
      },
    });
    expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
    await server.stop();
    // The server itself, npx's child, follows within a few seconds: its port closes.
    const deadline = Date.now() + 10_000;
    let answering = true;
    while (answering && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 250));
      answering = await fetch(`${server.url}/healthz`).then(
        () => true,
        () => false,
      );
    }
    expect(answering).toBe(false);
    expect(server.output()).toMatch(/"msg":"shutting down"/);
  }, 30_000);

  it('gives a merchant app @igepay/webhook with no dependency, for require and import, and for edge runtimes', async () => {
    const { manifest, root, files } = packed.get('webhook') as Packed;
    expect(manifest.dependencies ?? {}).toEqual({});
    // A CommonJS app (an Express app of old) requires it; an ES module app imports it.
    writeFileSync(
      join(project, 'hooks.cjs'),
      `const { verifyWebhook, webhookHeaders } = require('@igepay/webhook');
const secret = 'whsec_6kK1m3Xq8bq0Zf8oZb2k2nQe0q3tQ5b3pG8vC1w4yHk=';
const body = '{"id":"evt_1","type":"order.paid"}';
const headers = webhookHeaders('evt_1', Math.floor(Date.now() / 1000), body, secret);
console.log(verifyWebhook(body, new Map(Object.entries(headers)), secret).id);
`,
    );
    expect((await run(process.execPath, ['hooks.cjs'], { cwd: project })).stdout.trim()).toBe('evt_1');
    writeFileSync(
      join(project, 'hooks.mjs'),
      `import { webhookHeaders } from '@igepay/webhook';
import { verifyWebhookAsync } from '@igepay/webhook/web';
const secret = 'whsec_6kK1m3Xq8bq0Zf8oZb2k2nQe0q3tQ5b3pG8vC1w4yHk=';
const body = '{"id":"evt_1","type":"order.paid"}';
const headers = new Headers(webhookHeaders('evt_1', Math.floor(Date.now() / 1000), body, secret));
console.log((await verifyWebhookAsync(body, headers, secret)).id);
`,
    );
    expect((await run(process.execPath, ['hooks.mjs'], { cwd: project })).stdout.trim()).toBe('evt_1');
    // The web entry, as an edge bundler follows it, reaches no Node built-in.
    const seen = new Set<string>();
    const follow = (file: string) => {
      if (seen.has(file)) return;
      seen.add(file);
      const { importedFiles } = ts.preProcessFile(readFileSync(join(root, file), 'utf8'), true, true);
      for (const { fileName } of importedFiles) {
        expect(fileName, `${file} imports ${fileName}`).toMatch(/^\./);
        follow(normalize(join(dirname(file), fileName)));
      }
    };
    for (const format of ['esm', 'cjs']) follow(`dist/${format}/web.js`);
    expect([...seen].every((file) => files.includes(file))).toBe(true);
    expect(seen.size).toBeGreaterThanOrEqual(8);
  });

  it('asks for the optional package a feature needs: prom-client for metrics, pg for PostgreSQL', async () => {
    const bin = join(project, 'node_modules', '.bin', 'igepay-server');
    const base = { PATH: process.env.PATH ?? '', PORT: '0', IGEPAY_UID: '10001', IGEPAY_TOKEN: TOKEN };
    const metrics = await run(bin, [], {
      cwd: project,
      env: {
        ...base,
        DATABASE_URL: `sqlite:${join(project, 'data', 'metrics.db')}`,
        IGEPAY_METRICS_TOKEN: 'a-metrics-token-of-length',
      },
    }).catch((error: { code: number; stderr: string }) => error);
    expect(metrics).toMatchObject({ code: 1 });
    expect((metrics as { stderr: string }).stderr).toMatch(
      /need the prom-client package: npm install prom-client/,
    );
    const postgres = await run(bin, [], {
      cwd: project,
      env: { ...base, DATABASE_URL: 'postgres://igepay@127.0.0.1:1/igepay' },
    }).catch((error: { code: number; stderr: string }) => error);
    expect(postgres).toMatchObject({ code: 1 });
    expect((postgres as { stderr: string }).stderr).toMatch(/needs the pg package: npm install pg/);
  });

  describe('with what a PostgreSQL merchant who serves metrics adds: pg, @types/pg, prom-client', () => {
    beforeAll(async () => {
      const version = (name: string) =>
        JSON.parse(readFileSync(join(ROOT, 'server', 'node_modules', name, 'package.json'), 'utf8')).version;
      await run(
        'npm',
        [
          'install',
          '--no-audit',
          '--no-fund',
          '--prefer-offline',
          ...['pg', '@types/pg', 'prom-client'].map((name) => `${name}@${version(name)}`),
        ],
        { cwd: project, maxBuffer: 1 << 24, env: { ...merchantEnv(), CC: '/bin/false', CXX: '/bin/false' } },
      );
    }, 300_000);

    it("loads every entry point, and the packages' types compile for a strict TypeScript app and a React 19 page", async () => {
      const { stdout } = await run(process.execPath, ['--input-type=module', '-e', IMPORT_EVERY_ENTRY], {
        cwd: project,
      });
      expect(stdout.trim().split('\n')).toHaveLength(7);

      writeFileSync(
        join(project, 'app.ts'),
        `import Fastify from 'fastify';
  import { buildApp, type IgepayPluginOptions, igepayPlugin, loadConfig, verifyWebhook } from '@igepay/server';
  import { PgStore } from '@igepay/server/postgres';
  import { loadSandboxConfig } from '@igepay/server/sandbox';
  import { formatPrice, type OrderView } from '@igepay/shared';
  import { IgepayButton, type IgepayPaidEvent } from '@igepay/widget';
  import type { IgepayButtonProps } from '@igepay/widget/types/jsx';

  export const price: string = formatPrice(1230);
  export const pieces = [buildApp, igepayPlugin, PgStore, loadSandboxConfig, IgepayButton] as const;
  export type Options = IgepayPluginOptions;
  // The merchant's own Fastify (another 5.x than ours) takes the plugin, and sees its decorator.
  export const shop = Fastify();
  await shop.register(igepayPlugin, { config: loadConfig(process.env), prefix: '/pay' });
  export const publicUrl: string = shop.igepay.config.publicUrl;
  export type Status = OrderView['status'];
  export const props: IgepayButtonProps = { price: '12.30', 'onigepay-paid': (event) => event.detail.order_id };
  export function onPaid(event: IgepayPaidEvent): string {
    return event.detail.price;
  }
  export function handle(raw: string, headers: Record<string, string | string[] | undefined>): string {
    const event = verifyWebhook(raw, headers, 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw');
    // verifyWebhook narrows on the event's type.
    return event.type === 'order.paid' ? event.data.pay_num : event.data.reason;
  }
  `,
      );
      // A React 19 page, set up as docs/widget.md says: real attributes and events type-check, and
      // what is not a settable property (the element's internals) does not.
      writeFileSync(
        join(project, 'page.tsx'),
        `import type { CustomElements } from '@igepay/widget/types/jsx';
  declare module 'react' {
    namespace JSX {
      interface IntrinsicElements extends CustomElements {}
    }
  }
  export const checkout = (
    <igepay-button price="12.30" lang="en" mode="popup" onigepay-paid={(event) => console.log(event.detail.order_id)} />
  );
  // @ts-expect-error serverUrl is not an attribute of the element
  export const internals = <igepay-button serverUrl="https://pay.example.com" />;
  `,
      );
      // The same page on the React wrapper: its events are typed props.
      writeFileSync(
        join(project, 'wrapped.tsx'),
        `import { IgepayButton } from '@igepay/widget/react';
  export const checkout = (
    <IgepayButton server="https://pay.example.com" product="vip" onIgepayPaid={(event) => console.log(event.detail.price)} />
  );
  // @ts-expect-error the paid event's detail has no refund
  export const wrong = <IgepayButton onIgepayPaid={(event) => event.detail.refund} />;
  `,
      );
      const program = ts.createProgram(
        [join(project, 'app.ts'), join(project, 'page.tsx'), join(project, 'wrapped.tsx')],
        {
          jsx: ts.JsxEmit.ReactJSX,
          strict: true,
          noEmit: true,
          skipLibCheck: false,
          module: ts.ModuleKind.NodeNext,
          moduleResolution: ts.ModuleResolutionKind.NodeNext,
          target: ts.ScriptTarget.ES2023,
          lib: ['lib.es2023.d.ts', 'lib.dom.d.ts', 'lib.dom.iterable.d.ts'],
          types: ['node', 'react'],
          typeRoots: [join(project, 'node_modules', '@types')],
        },
      );
      const diagnostics = ts
        .getPreEmitDiagnostics(program)
        .map((d) => `${d.file?.fileName ?? ''}: ${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`);
      expect(diagnostics).toEqual([]);
    }, 120_000);

    it('renders <IgepayButton> on a server, with plain Node: the attributes by their own names', async () => {
      const { stdout } = await run(
        process.execPath,
        [
          '--input-type=module',
          '-e',
          `import { createElement } from 'react';
  import { renderToString } from 'react-dom/server';
  import { IgepayButton } from '@igepay/widget/react';
  console.log(renderToString(createElement(IgepayButton, { product: 'vip', orderName: 'VIP', disabled: false })));`,
        ],
        { cwd: project },
      );
      expect(stdout.trim()).toBe('<igepay-button product="vip" order-name="VIP"></igepay-button>');
    });

    // The same install, run by Bun and by Deno (their binaries from the npm registry).
    describe.each(['bun', 'deno'] as const)('on %s', (name) => {
      let runtime: string;
      beforeAll(() => {
        runtime = ensureOtherRuntime(name);
      }, 300_000);
      // Deno asks for permissions; the server needs them all (network, files, environment, workers).
      const runArgs = (file: string) => (name === 'deno' ? ['run', '-A', file] : [file]);

      it('loads every entry point', async () => {
        writeFileSync(join(project, 'entries.mjs'), IMPORT_EVERY_ENTRY);
        const { stdout } = await run(runtime, runArgs('entries.mjs'), { cwd: project });
        expect(stdout.trim().split('\n')).toHaveLength(7);
      });

      it('runs igepay serve in sandbox mode on SQLite, where a buyer pays, and stops cleanly on SIGTERM', async () => {
        const [bin, ...args] = SERVE_COMMAND;
        const server = await runUntilListening(runtime, {
          args: [...runArgs(join(project, 'node_modules', '.bin', bin)), ...args],
          cwd: project,
          env: {
            PATH: process.env.PATH ?? '',
            PORT: '0',
            IGEPAY_SANDBOX: '1',
            DATABASE_URL: `sqlite:${join(project, 'data', `${name}.db`)}`,
          },
        });
        let code: number | null;
        try {
          await buysInSandbox(server.url);
        } finally {
          code = await server.stop();
        }
        expect(code, server.output()).toBe(0);
        expect(server.output()).toMatch(/"signal":"SIGTERM","msg":"shutting down"/);
        // Closed cleanly: the database is whole, and holds the paid order.
        const db = new DatabaseSync(join(project, 'data', `${name}.db`), { readOnly: true });
        try {
          expect(db.prepare("SELECT count(*) AS n FROM orders WHERE status = 'paid'").get()).toEqual({
            n: 1,
          });
          expect(db.prepare('PRAGMA integrity_check').get()).toEqual({ integrity_check: 'ok' });
        } finally {
          db.close();
        }
      });
    });

    it('bundles the unbundled widget into a Lit app with one copy of lit-html, and the element works there', async () => {
      writeFileSync(
        join(project, 'app.js'),
        `import { html, LitElement } from 'lit';
  import '@igepay/widget';
  class ShopPage extends LitElement {
    render() {
      return html\`<igepay-button price="12.30" lang="en"></igepay-button>\`;
    }
  }
  customElements.define('shop-page', ShopPage);
  `,
      );
      const outDir = join(project, 'bundle');
      await build({
        root: project,
        configFile: false,
        logLevel: 'silent',
        build: {
          outDir,
          minify: false,
          lib: { entry: join(project, 'app.js'), formats: ['es'], fileName: 'app' },
        },
      });
      const bundle = readFileSync(join(outDir, 'app.js'), 'utf8');
      // Unminified, the bundle names each module it holds: lit-html once, the app's and the widget's.
      const modules = [...bundle.matchAll(/^\/\/ \S*node_modules\/(\S+)$/gm)].map((match) => match[1]);
      expect(
        modules.filter((module) => /^lit-html\/(development\/)?lit-html\.js$/.test(module ?? '')),
      ).toHaveLength(1);
      expect(modules).toContain('@igepay/widget/dist/lib/igepay-button.js');

      const browser = await launchChromium();
      try {
        const page = await browser.newPage();
        await page.setContent('<shop-page></shop-page>');
        await page.addScriptTag({ type: 'module', content: bundle });
        const button = page.locator('shop-page igepay-button').locator('[part="button"]');
        await button.waitFor();
        expect(await button.textContent()).toContain('12.30');
      } finally {
        await browser.close();
      }
    }, 120_000);
  });
});
