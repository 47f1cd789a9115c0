import { DatabaseSync } from 'node:sqlite';
import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { Secret } from '../src/config/secret.js';
import { createLogger, safeUrl } from '../src/http/logger.js';
import { SqliteStore } from '../src/store/sqlite/store.js';
import { checkout, sqlitePath, TOKEN, tempDir, useTestServer } from './support/harness.js';

const t = useTestServer();

describe('GET /healthz', () => {
  it('is 200 while the store works and 503 with { code, msg } when it does not', async () => {
    const dir = tempDir();
    const store = await SqliteStore.open({ path: `${dir.dir}/h.db` });
    await t.restart({ store });
    expect((await t.server.app.inject('/healthz')).json()).toEqual({ status: 'ok' });
    await store.close();
    const down = await t.server.app.inject('/healthz');
    expect(down.statusCode).toBe(503);
    expect(down.json()).toMatchObject({ code: 5030, error: 'IGEPAY_ERR_STORE_UNAVAILABLE' });
    // A checkout that cannot be stored is refused the same way, with no internals shown.
    const refused = await t.server.app.inject({
      method: 'POST',
      url: '/api/checkout',
      payload: { channel: 'alipay', price: '1.00' },
    });
    expect(refused.statusCode).toBe(503);
    expect(refused.body).not.toMatch(/sqlite|stack|at /i);
    dir.cleanup();
  });

  it('is 503 while reads work but writes do not (another process holds the write lock)', async () => {
    const path = sqlitePath(t.server.config);
    expect((await t.server.app.inject('/healthz')).statusCode).toBe(200);
    // A real SQLite condition every write then meets, as on a full disk: SQLITE_BUSY.
    const other = new DatabaseSync(path);
    other.exec('BEGIN EXCLUSIVE');
    try {
      await new Promise((resolve) => setTimeout(resolve, 1100));
      const down = await t.server.app.inject('/healthz');
      expect(down.statusCode).toBe(503);
      expect(down.json()).toMatchObject({ code: 5030, error: 'IGEPAY_ERR_STORE_UNAVAILABLE' });
    } finally {
      other.exec('ROLLBACK');
      other.close();
    }
    await new Promise((resolve) => setTimeout(resolve, 1100));
    expect((await t.server.app.inject('/healthz')).statusCode).toBe(200);
  }, 20_000);
});

describe('errors', () => {
  it('answers unknown routes and malformed URLs with { code, msg }', async () => {
    const missing = await t.server.app.inject('/nope');
    expect(missing.statusCode).toBe(404);
    expect(missing.json()).toMatchObject({ code: 4041, error: 'IGEPAY_ERR_ROUTE_NOT_FOUND' });
    const malformed = await t.server.app.inject('/api/orders/%E0%A4%A?client_secret=x');
    expect(malformed.statusCode).toBe(400);
    expect(malformed.json()).toMatchObject({ code: 4001 });
    const wrongMethod = await t.server.app.inject({ method: 'DELETE', url: '/api/checkout' });
    expect(wrongMethod.statusCode).toBe(404);
  });
});

describe('logging', () => {
  it('never writes the token or a client secret, whoever logs them', async () => {
    const lines: string[] = [];
    const stream = new Writable({
      write(chunk, _encoding, done) {
        lines.push(String(chunk));
        done();
      },
    });
    const log = createLogger({ token: new Secret(TOKEN), stream });
    log.info({ token: TOKEN, nested: { token: TOKEN }, client_secret: 'cs_abc' }, 'fields');
    log.info(`a careless message with ${TOKEN} in it`);
    log.error({ err: new Error(`failed while signing with ${TOKEN}`) }, 'an error');
    log.info({ config: { token: new Secret(TOKEN) } }, 'a secret object');
    expect(lines).toHaveLength(4);
    for (const line of lines) {
      expect(line).not.toContain(TOKEN);
      expect(line).not.toContain('cs_abc');
    }
    expect(lines.join('')).toContain('[redacted]');
  });

  it('scrubs a secret holding quotes or backslashes as JSON escapes it, and by key', () => {
    const lines: string[] = [];
    const stream = new Writable({
      write(chunk, _encoding, done) {
        lines.push(String(chunk));
        done();
      },
    });
    const password = 'pa"ss\\w0rd';
    const log = createLogger({ token: new Secret(TOKEN), secrets: [new Secret(password)], stream });
    log.error({ err: new Error(`password authentication failed for ${password}`) }, 'store');
    log.info({ password: 'anything', secret: 'anything else' }, 'fields named for secrets');
    expect(lines).toHaveLength(2);
    expect(lines[0]).not.toContain(JSON.stringify(password).slice(1, -1));
    expect(lines[0]).toContain('failed for [redacted]');
    expect(JSON.parse(lines[1] ?? '{}')).toMatchObject({ password: '[redacted]', secret: '[redacted]' });
  });

  it('never scrubs a short secret out of a longer word', () => {
    const lines: string[] = [];
    const stream = new Writable({
      write(chunk, _encoding, done) {
        lines.push(String(chunk));
        done();
      },
    });
    const log = createLogger({ token: new Secret(TOKEN), secrets: [new Secret('post')], stream });
    log.info({ database: 'postgres' }, 'connect postgres://u:post@db failed: post');
    expect(JSON.parse(lines[0] ?? '{}')).toMatchObject({
      database: 'postgres',
      msg: 'connect postgres://u:[redacted]@db failed: [redacted]',
    });
  });

  it('hides client secrets in logged URLs', async () => {
    expect(safeUrl('/api/orders/1?client_secret=cs_abc&wait=5')).toBe(
      '/api/orders/1?client_secret=[redacted]&wait=5',
    );
    const order = await checkout(t.server.app, { channel: 'alipay', price: '1.00' });
    await t.server.app.inject(`/api/orders/${order.order_id}?wait=0&client_secret=${order.client_secret}`);
    const logged = JSON.stringify(t.server.logs);
    expect(logged).toContain(order.order_id);
    expect(logged).not.toContain(order.client_secret);
  });
});
