import { existsSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { inspect } from 'node:util';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ConfigError, loadConfig, type SandboxSetup } from '../../src/config/config.js';
import { Secret } from '../../src/config/secret.js';
import { loadSandboxConfig } from '../../src/sandbox/mode.js';
import { TOKEN, tempDir } from '../support/harness.js';

const REQUIRED = { IGEPAY_UID: '10001', IGEPAY_TOKEN: TOKEN };
let dir: ReturnType<typeof tempDir>;
beforeEach(() => {
  dir = tempDir();
});
afterEach(() => dir.cleanup());

function failure(env: Record<string, string | undefined>, load = loadConfig): ConfigError {
  try {
    load(env);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return error as ConfigError;
  }
  throw new Error('expected the configuration to be refused');
}

describe('loadConfig', () => {
  it('applies the documented defaults', () => {
    const config = loadConfig(REQUIRED);
    expect(config).toMatchObject({
      port: 8787,
      host: '127.0.0.1',
      publicUrl: 'http://127.0.0.1:8787',
      uid: '10001',
      gatewayUrl: 'http://www.igepay.com/Home/Pay/payFor',
      signOrderUid: false,
      database: { engine: 'sqlite', path: resolve('./data/igepay.db') },
      minPriceCents: 1,
      maxPriceCents: 5_000_000,
      allowedOrigins: ['http://127.0.0.1:8787'],
      rateLimitPerMinute: 60,
      trustProxy: undefined,
      orderTtlMs: 30 * 60_000,
      latePaymentMs: 15 * 60_000,
      logLevel: 'info',
    });
    expect(config.catalog.size).toBe(0);
    expect(config.token.reveal()).toBe(TOKEN);
  });

  it('reads every setting', () => {
    const products = join(dir.dir, 'p.json');
    writeFileSync(products, JSON.stringify({ vip: { name: 'VIP会员', price: '9.9' } }));
    const config = loadConfig({
      ...REQUIRED,
      PORT: '9000',
      HOST: '0.0.0.0',
      PUBLIC_URL: 'https://pay.example.com/',
      IGEPAY_GATEWAY_URL: 'http://127.0.0.1:9999/pay',
      IGEPAY_SIGN_ORDER_UID: '1',
      DATABASE_URL: `sqlite:${dir.dir}/x.db`,
      IGEPAY_PRODUCTS: products,
      IGEPAY_MIN_PRICE: '1',
      IGEPAY_MAX_PRICE: '99.50',
      IGEPAY_ALLOWED_ORIGINS: 'https://a.example.com, https://b.example.com:8443',
      IGEPAY_RATE_LIMIT: '0',
      IGEPAY_TRUST_PROXY: ' 127.0.0.1, 10.0.0.0/8 ,loopback,::1',
      IGEPAY_ORDER_TTL_MINUTES: '0.5',
      IGEPAY_LATE_PAYMENT_MINUTES: '0',
    });
    expect(config).toMatchObject({
      port: 9000,
      host: '0.0.0.0',
      publicUrl: 'https://pay.example.com',
      gatewayUrl: 'http://127.0.0.1:9999/pay',
      signOrderUid: true,
      database: { engine: 'sqlite', path: `${dir.dir}/x.db` },
      minPriceCents: 100,
      maxPriceCents: 9950,
      // PUBLIC_URL's own origin stays allowed: the server's pages use the API too.
      allowedOrigins: ['https://pay.example.com', 'https://a.example.com', 'https://b.example.com:8443'],
      rateLimitPerMinute: 0,
      trustProxy: ['127.0.0.1', '10.0.0.0/8', 'loopback', '::1'],
      orderTtlMs: 30_000,
      latePaymentMs: 0,
    });
    expect(config.catalog.get('vip')).toEqual({ name: 'VIP会员', priceCents: 990 });
  });

  it.each([
    [{ IGEPAY_TOKEN: TOKEN }, 'IGEPAY_UID', /is required/],
    [{ IGEPAY_UID: '10001' }, 'IGEPAY_TOKEN', /is required/],
    [{ ...REQUIRED, IGEPAY_UID: 'abc' }, 'IGEPAY_UID', /numeric/],
    [{ ...REQUIRED, PORT: 'http' }, 'PORT', /port/],
    [{ ...REQUIRED, PORT: '70000' }, 'PORT', /port/],
    [{ ...REQUIRED, PUBLIC_URL: 'shop.example.com' }, 'PUBLIC_URL', /URL/],
    [{ ...REQUIRED, PUBLIC_URL: `https://a.example.com/${'x'.repeat(200)}` }, 'PUBLIC_URL', /255/],
    [{ ...REQUIRED, IGEPAY_SIGN_ORDER_UID: 'yes' }, 'IGEPAY_SIGN_ORDER_UID', /1 or 0/],
    [{ ...REQUIRED, DATABASE_URL: 'mysql://x' }, 'DATABASE_URL', /sqlite:PATH/],
    [{ ...REQUIRED, DATABASE_URL: 'postgres:///db' }, 'DATABASE_URL', /host/],
    [
      { ...REQUIRED, DATABASE_URL: 'postgres://u@h/db', DATABASE_POOL_SIZE: '0' },
      'DATABASE_POOL_SIZE',
      /at least 1/,
    ],
    [
      { ...REQUIRED, DATABASE_URL: 'postgres://u@h/db', DATABASE_POOL_SIZE: 'many' },
      'DATABASE_POOL_SIZE',
      /whole number/,
    ],
    [{ ...REQUIRED, IGEPAY_MIN_PRICE: '1.001' }, 'IGEPAY_MIN_PRICE', /2 decimals/],
    [{ ...REQUIRED, IGEPAY_MIN_PRICE: '10', IGEPAY_MAX_PRICE: '5' }, 'IGEPAY_MIN_PRICE', /IGEPAY_MAX_PRICE/],
    [
      { ...REQUIRED, IGEPAY_ALLOWED_ORIGINS: 'https://a.example.com/path' },
      'IGEPAY_ALLOWED_ORIGINS',
      /origins/,
    ],
    [{ ...REQUIRED, IGEPAY_RATE_LIMIT: '-1' }, 'IGEPAY_RATE_LIMIT', /whole number/],
    [{ ...REQUIRED, IGEPAY_ORDER_TTL_MINUTES: '0' }, 'IGEPAY_ORDER_TTL_MINUTES', /more than 0/],
    [{ ...REQUIRED, IGEPAY_LATE_PAYMENT_MINUTES: '-1' }, 'IGEPAY_LATE_PAYMENT_MINUTES', /number of minutes/],
    [{ ...REQUIRED, IGEPAY_PRODUCTS: '/nonexistent/products.json' }, 'IGEPAY_PRODUCTS', /ENOENT/],
    [{ ...REQUIRED, LOG_LEVEL: 'loud' }, 'LOG_LEVEL', /one of/],
    [
      { ...REQUIRED, IGEPAY_FORWARD_URL: 'https://app.example.com/events' },
      'IGEPAY_FORWARD_SECRET',
      /required/,
    ],
    [
      { ...REQUIRED, IGEPAY_FORWARD_SECRET: `whsec_${Buffer.alloc(32).toString('base64')}` },
      'IGEPAY_FORWARD_URL',
      /required/,
    ],
    [
      {
        ...REQUIRED,
        IGEPAY_FORWARD_URL: 'https://app.example.com/events',
        IGEPAY_FORWARD_SECRET: 'an-old-secret-that-is-no-whsec-one',
      },
      'IGEPAY_FORWARD_SECRET',
      /Standard Webhooks secret: whsec_ .*openssl rand -base64 32/,
    ],
    [{ ...REQUIRED, IGEPAY_FORWARD_URL: 'ftp://app.example.com/' }, 'IGEPAY_FORWARD_URL', /URL/],
    [{ ...REQUIRED, IGEPAY_MAX_CONNECTIONS: '999999' }, 'IGEPAY_MAX_CONNECTIONS', /file descriptors/],
    [{ ...REQUIRED, IGEPAY_MAX_CONNECTIONS: '8' }, 'IGEPAY_MAX_CONNECTIONS', /at least 16/],
    [
      { ...REQUIRED, IGEPAY_MAX_CONNECTIONS_PER_CLIENT: '0' },
      'IGEPAY_MAX_CONNECTIONS_PER_CLIENT',
      /at least 1/,
    ],
    [{ ...REQUIRED, IGEPAY_TRUST_PROXY: 'true' }, 'IGEPAY_TRUST_PROXY', /not trust every sender/],
    [{ ...REQUIRED, IGEPAY_TRUST_PROXY: '0' }, 'IGEPAY_TRUST_PROXY', /between 1 and 16/],
    [{ ...REQUIRED, IGEPAY_TRUST_PROXY: '10.0.0.0/8,proxy.lan' }, 'IGEPAY_TRUST_PROXY', /proxy\.lan/],
    [{ ...REQUIRED, IGEPAY_TRUST_PROXY: '10.0.0.0/99' }, 'IGEPAY_TRUST_PROXY', /CIDRs/],
  ])('refuses %j naming %s in one line', (env, variable, reason) => {
    const error = failure(env);
    expect(error.variable).toBe(variable);
    expect(error.message).toMatch(new RegExp(`^Invalid configuration: ${variable} `));
    expect(error.message).toMatch(reason);
    expect(error.message).not.toContain('\n');
    expect(error.message).not.toContain(TOKEN);
  });

  it('describes a bad token without echoing it', () => {
    for (const token of ['q7z', `${TOKEN} ${TOKEN}`, 'x'.repeat(300)]) {
      const error = failure({ IGEPAY_UID: '1', IGEPAY_TOKEN: token });
      expect(error.variable).toBe('IGEPAY_TOKEN');
      expect(error.message).not.toContain(token);
    }
  });

  it('names the catalog entry at fault', () => {
    const products = join(dir.dir, 'p.json');
    writeFileSync(products, JSON.stringify({ vip: { name: 'VIP', price: '9.999' } }));
    expect(failure({ ...REQUIRED, IGEPAY_PRODUCTS: products }).message).toMatch(
      /IGEPAY_PRODUCTS .*vip\.price/,
    );
    // Names the live gateway would rewrite are refused at start-up, not at the buyer's payment.
    writeFileSync(products, JSON.stringify({ duo: { name: 'Tea & Cake', price: '9.90' } }));
    expect(failure({ ...REQUIRED, IGEPAY_PRODUCTS: products }).message).toMatch(
      /IGEPAY_PRODUCTS .*duo\.name must not contain &/,
    );
    writeFileSync(products, '{not json');
    expect(failure({ ...REQUIRED, IGEPAY_PRODUCTS: products }).message).toMatch(
      /IGEPAY_PRODUCTS cannot be used/,
    );
  });

  it('takes open amounts by default only when there is no catalog of your own', () => {
    const products = join(dir.dir, 'own.json');
    writeFileSync(products, JSON.stringify({ vip: { name: 'VIP', price: '9.90' } }));
    expect(loadConfig(REQUIRED).openAmounts).toBe(true);
    expect(loadConfig({ ...REQUIRED, IGEPAY_PRODUCTS: products }).openAmounts).toBe(false);
    expect(loadConfig({ ...REQUIRED, IGEPAY_PRODUCTS: products, IGEPAY_OPEN_AMOUNTS: '1' }).openAmounts).toBe(
      true,
    );
    expect(loadConfig({ ...REQUIRED, IGEPAY_OPEN_AMOUNTS: '0' }).openAmounts).toBe(false);
    expect(failure({ ...REQUIRED, IGEPAY_OPEN_AMOUNTS: 'yes' }).variable).toBe('IGEPAY_OPEN_AMOUNTS');
  });

  it('treats empty variables as unset', () => {
    expect(loadConfig({ ...REQUIRED, PORT: '', PUBLIC_URL: '' }).port).toBe(8787);
  });

  it('reads a PostgreSQL URL, keeping its password out of print like the token', () => {
    const config = loadConfig({
      ...REQUIRED,
      DATABASE_URL: 'postgres://igepay:s3cr%40t-pw@db.internal:5432/shop',
      DATABASE_POOL_SIZE: '20',
    });
    expect(config.database.engine).toBe('postgres');
    if (config.database.engine !== 'postgres') return;
    expect(config.database.poolSize).toBe(20);
    expect(config.database.url.reveal()).toBe('postgres://igepay:s3cr%40t-pw@db.internal:5432/shop');
    expect(config.database.password?.reveal()).toBe('s3cr@t-pw');
    for (const shown of [
      JSON.stringify(config),
      String(config.database.url),
      `${config.database.password}`,
    ]) {
      expect(shown).not.toContain('s3cr');
    }
  });

  it('never shows the token when the config is printed or serialized', () => {
    const config = loadConfig(REQUIRED);
    expect(inspect(config, { depth: 5 })).not.toContain(TOKEN);
    expect(JSON.stringify(config)).not.toContain(TOKEN);
    expect(`${config.token}`).toBe('[redacted]');
  });
});

describe('sandbox mode (IGEPAY_SANDBOX=1)', () => {
  const sandbox = () => ({
    IGEPAY_SANDBOX: '1',
    DATABASE_URL: `sqlite:${join(dir.dir, 'data', 'igepay.db')}`,
  });

  it('makes a sandbox merchant once per data directory and pays at the mounted simulator', () => {
    const config = loadSandboxConfig({ ...sandbox(), PUBLIC_URL: 'http://192.168.1.20:8787' });
    expect(config.uid).toMatch(/^9\d{8}$/);
    expect(config.token.reveal()).toMatch(/^sandbox-[0-9a-f]{32}$/);
    expect(config.gatewayUrl).toBe('http://192.168.1.20:8787/sandbox/Home/Pay/payFor');
    expect(config.sandbox?.shopPath).toBe('/');
    // The demo catalog, unless IGEPAY_PRODUCTS names another.
    expect(config.catalog.size).toBeGreaterThanOrEqual(2);

    const again = loadSandboxConfig(sandbox());
    expect(again.uid).toBe(config.uid);
    expect(again.token.reveal()).toBe(config.token.reveal());
    const elsewhere = loadSandboxConfig({
      IGEPAY_SANDBOX: '1',
      DATABASE_URL: `sqlite:${join(dir.dir, 'other', 'x.db')}`,
    });
    expect(elsewhere.token.reveal()).not.toBe(config.token.reveal());
  });

  it('keeps its orders in a file of its own by default, never the live one', () => {
    const seen: string[] = [];
    const setup: SandboxSetup = {
      mode: { routes: async () => {}, shopPath: '/', banner: () => '' },
      catalog: new Map(),
      merchant: ({ database }) => {
        seen.push(database.engine === 'sqlite' ? database.path : database.engine);
        return {
          uid: '900000001',
          token: new Secret('sandbox-0123456789abcdef'),
          gatewayUrl: 'http://x/pay',
        };
      },
    };
    loadConfig({ IGEPAY_SANDBOX: '1' }, { sandbox: setup });
    expect(seen).toEqual([resolve('./data/sandbox.db')]);
    expect(loadConfig(REQUIRED).database).toEqual({ engine: 'sqlite', path: resolve('./data/igepay.db') });
  });

  it("reads the simulator's IGEPAY_SANDBOX_* settings with the rest", () => {
    const error = failure({ ...sandbox(), IGEPAY_SANDBOX_RETRY_SECONDS: 'soon' }, loadSandboxConfig);
    expect(error.variable).toBe('IGEPAY_SANDBOX_RETRY_SECONDS');
  });

  it('is set up by the sandbox only: the core refuses it and writes nothing', () => {
    const error = failure(sandbox());
    expect(error.variable).toBe('IGEPAY_SANDBOX');
    expect(error.message).toMatch(/loadSandboxConfig from @igepay\/server\/sandbox/);
    expect(existsSync(join(dir.dir, 'data'))).toBe(false);
  });

  it('writes its merchant only for settings that are valid', () => {
    const error = failure({ ...sandbox(), IGEPAY_MIN_PRICE: '9', IGEPAY_MAX_PRICE: '1' }, loadSandboxConfig);
    expect(error.variable).toBe('IGEPAY_MIN_PRICE');
    expect(existsSync(join(dir.dir, 'data'))).toBe(false);
  });

  it.each(['IGEPAY_UID', 'IGEPAY_TOKEN', 'IGEPAY_GATEWAY_URL'])('refuses a real %s next to it', (name) => {
    const value = {
      IGEPAY_UID: '10001',
      IGEPAY_TOKEN: TOKEN,
      IGEPAY_GATEWAY_URL: 'https://pay.example.com/',
    }[name];
    const error = failure({ ...sandbox(), [name]: value }, loadSandboxConfig);
    expect(error.variable).toBe(name);
    expect(error.message).toMatch(/must not be set with IGEPAY_SANDBOX=1/);
    expect(error.message).not.toContain(TOKEN);
  });

  it('is off by default: live settings are required, and a sandbox token is not a live one', () => {
    expect(loadConfig(REQUIRED).sandbox).toBeUndefined();
    expect(failure({ IGEPAY_TOKEN: TOKEN }).message).toMatch(/IGEPAY_SANDBOX=1 to try the sandbox/);
    const sandboxToken = loadSandboxConfig(sandbox()).token.reveal();
    const error = failure({ IGEPAY_UID: '10001', IGEPAY_TOKEN: sandboxToken });
    expect(error.message).toMatch(/IGEPAY_TOKEN is a sandbox token/);
    expect(error.message).not.toContain(sandboxToken);
  });

  it('runs on SQLite only: the simulator is one process', () => {
    const error = failure({ IGEPAY_SANDBOX: '1', DATABASE_URL: 'postgres://u:pw@h/db' }, loadSandboxConfig);
    expect(error.message).toMatch(/DATABASE_URL must be sqlite:PATH with IGEPAY_SANDBOX=1/);
    expect(error.message).not.toContain('pw');
  });
});
