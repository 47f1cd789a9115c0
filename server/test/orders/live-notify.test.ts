import { readdirSync, readFileSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { dirname, join } from 'node:path';
import type { CheckoutResponse, PaidOrder } from '@igepay/shared';
import { notificationSign } from '@igepay/shared/signing';
import { afterEach, describe, expect, it } from 'vitest';
import { SqliteStore } from '../../src/store/sqlite/store.js';
import {
  checkout,
  notificationFor,
  sqlitePath,
  type TestServer,
  TOKEN,
  useTestServer,
} from '../support/harness.js';
import { runCli } from '../support/process.js';

// What a real igepay gateway of this template may send (docs/protocol.md §1.6), over real HTTP
// to a server listening on loopback.

const paid: PaidOrder[] = [];
const t = useTestServer({ build: { onPaid: (order) => void paid.push(order), deliveryPollMs: 20 } });
afterEach(() => {
  paid.length = 0;
});

async function baseUrl(server: TestServer): Promise<string> {
  if (!server.app.server.listening) await server.app.listen({ host: '127.0.0.1', port: 0 });
  const address = server.app.server.address();
  if (address === null || typeof address === 'string') throw new Error('not listening on TCP');
  return `http://127.0.0.1:${address.port}`;
}

/** POSTs `body` to the notify URL with exactly the given headers (no content type unless given). */
async function post(body: string | FormData, headers: Record<string, string> = {}) {
  const url = `${await baseUrl(t.server)}/api/igepay/notify`;
  if (typeof body !== 'string') {
    const response = await fetch(url, { method: 'POST', body });
    return { status: response.status, body: await response.text() };
  }
  // node:http, not fetch: fetch adds a content type to a string body, and some gateways send none.
  return await new Promise<{ status: number; body: string }>((resolve, reject) => {
    const req = httpRequest(url, {
      method: 'POST',
      headers: { 'content-length': Buffer.byteLength(body), ...headers },
    });
    req.on('response', (res) => {
      let text = '';
      res.on('data', (chunk) => {
        text += String(chunk);
      });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

const form = (fields: Record<string, string>) => new URLSearchParams(fields).toString();
const FORM = { 'content-type': 'application/x-www-form-urlencoded' };

async function withStore<T>(server: TestServer, read: (store: SqliteStore) => Promise<T>): Promise<T> {
  const store = await SqliteStore.open({ path: sqlitePath(server.config) });
  try {
    return await read(store);
  } finally {
    await store.close();
  }
}
const storedOrder = (order: CheckoutResponse) =>
  withStore(t.server, (store) => store.getOrder(order.order_id));
const cli = (args: string[]) =>
  runCli(args, { DATABASE_URL: `sqlite:${sqlitePath(t.server.config)}`, IGEPAY_TOKEN: TOKEN });

describe('the echoed key: noted, not decisive', () => {
  it('pays a validly signed, correctly priced notification that echoes another key, once, and flags it', async () => {
    const order = await checkout(t.server.app, { channel: 'alipay', product: 'vip', order_uid: 'alice' });
    const otherKey = notificationSign({ order_id: order.order_id, price: 'x' }, TOKEN);
    const fields = notificationFor(order, { key: otherKey });
    for (let i = 0; i < 3; i++)
      expect(await post(form(fields), FORM)).toEqual({ status: 200, body: 'success' });

    expect(await storedOrder(order)).toMatchObject({ status: 'paid', echoMismatch: { key: otherKey } });
    await expect.poll(() => paid.length).toBe(1);
    expect(paid[0]).toMatchObject({ order_id: order.order_id, echo_mismatch: { key: otherKey } });
    expect(t.server.logs.filter((line) => line.event === 'order.paid')).toHaveLength(1);
    expect(t.server.logs).toContainEqual(
      expect.objectContaining({ level: 40, event: 'notify.echo-mismatch', order_id: order.order_id }),
    );

    const shown = await cli(['order', order.order_id]);
    expect(shown.stdout).toMatch(new RegExp(`echo_mismatch\\s+key echoed as ${otherKey}`));
    const reconcile = await cli(['reconcile']);
    expect(reconcile.stdout).toContain('Paid orders whose notification echoed fields differently: 1');
    expect(reconcile.stdout).toContain(order.order_id);
  });

  it('pays a notification with no key at all, noting that none was echoed', async () => {
    const order = await checkout(t.server.app, { channel: 'wechat', price: '3.00' });
    expect((await post(form(notificationFor(order, { key: undefined })), FORM)).body).toBe('success');
    expect(await storedOrder(order)).toMatchObject({ status: 'paid', echoMismatch: { key: null } });
  });

  it('with IGEPAY_STRICT_KEY_ECHO=1 keeps it for reconciliation instead, unpaid', async () => {
    await t.restart({ env: { IGEPAY_STRICT_KEY_ECHO: '1' } });
    const order = await checkout(t.server.app, { channel: 'alipay', product: 'vip' });
    const reply = await post(form(notificationFor(order, { key: 'f'.repeat(32) })), FORM);
    expect(reply).toEqual({ status: 200, body: 'success' });
    expect(await storedOrder(order)).toMatchObject({ status: 'pending' });
    expect(await withStore(t.server, (store) => store.listUnapplied())).toMatchObject([
      { reason: 'key-mismatch', orderId: order.order_id },
    ]);
    // The right key still pays.
    expect((await post(form(notificationFor(order)), FORM)).body).toBe('success');
    expect(await storedOrder(order)).toMatchObject({ status: 'paid', echoMismatch: null });
  });
});

describe('unsigned echoes: taken as they come', () => {
  it('pays despite a 150-character order_uid echo, keeping ours and noting theirs', async () => {
    const order = await checkout(t.server.app, { channel: 'alipay', product: 'mug', order_uid: 'u-1' });
    const long = 'x'.repeat(150);
    const reply = await post(
      form(notificationFor(order, { order_uid: long, transaction_id: 'T'.repeat(120) })),
      FORM,
    );
    expect(reply.body).toBe('success');
    expect(await storedOrder(order)).toMatchObject({
      status: 'paid',
      orderUid: 'u-1',
      transactionId: 'T'.repeat(120),
      echoMismatch: { order_uid: long },
    });
  });

  it('pays when the optional echoes are missing altogether, with nothing noted for order_uid', async () => {
    const order = await checkout(t.server.app, { channel: 'alipay', product: 'mug', order_uid: 'u-2' });
    const fields = notificationFor(order, { order_uid: undefined, transaction_id: undefined });
    expect((await post(form(fields), FORM)).body).toBe('success');
    expect(await storedOrder(order)).toMatchObject({
      status: 'paid',
      transactionId: null,
      echoMismatch: null,
    });
  });
});

describe('bodies however a PHP gateway posts them', () => {
  it('applies a multipart/form-data notification', async () => {
    const order = await checkout(t.server.app, { channel: 'wechat', product: 'vip' });
    const body = new FormData();
    for (const [name, value] of Object.entries(notificationFor(order))) body.append(name, value);
    expect(await post(body)).toEqual({ status: 200, body: 'success' });
    expect(await storedOrder(order)).toMatchObject({ status: 'paid' });
  });

  it.each([
    ['no content type', {}],
    ['text/plain', { 'content-type': 'text/plain' }],
    ['application/octet-stream', { 'content-type': 'application/octet-stream' }],
  ])('applies a urlencoded notification sent with %s', async (_name, headers) => {
    const order = await checkout(t.server.app, { channel: 'alipay', product: 'vip' });
    expect(await post(form(notificationFor(order)), headers)).toEqual({ status: 200, body: 'success' });
    expect(await storedOrder(order)).toMatchObject({ status: 'paid' });
  });

  it('applies JSON whatever its content type says', async () => {
    const order = await checkout(t.server.app, { channel: 'alipay', product: 'vip' });
    expect((await post(JSON.stringify(notificationFor(order)), { 'content-type': 'text/html' })).body).toBe(
      'success',
    );
    expect(await storedOrder(order)).toMatchObject({ status: 'paid' });
  });
});

describe('price spelling', () => {
  it('pays when the gateway signs 10.00 and sends 10', async () => {
    const order = await checkout(t.server.app, { channel: 'alipay', product: 'vip' });
    const signed = notificationFor(order); // signed over "10.00"
    expect((await post(form({ ...signed, price: '10' }), FORM)).body).toBe('success');
    expect(await storedOrder(order)).toMatchObject({ status: 'paid', priceCents: 1000 });
  });

  it('still compares the amount exactly: a re-spelled sign for another amount pays nothing', async () => {
    const order = await checkout(t.server.app, { channel: 'alipay', product: 'vip' });
    const signedFor9 = notificationFor(order, { price: '9.00' });
    expect((await post(form({ ...signedFor9, price: '9' }), FORM)).body).toBe('success');
    expect(await storedOrder(order)).toMatchObject({ status: 'pending' });
    expect(await withStore(t.server, (store) => store.listUnapplied())).toMatchObject([
      { reason: 'price-mismatch', price: '9' },
    ]);
  });
});

describe('refused notifications: "fail", and a bounded, secret-free trace', () => {
  it('lists unreadable and wrongly signed bodies with igepay rejected, with no token anywhere', async () => {
    const order = await checkout(t.server.app, { channel: 'alipay', product: 'vip' });
    const forged = { ...notificationFor(order), sign: 'f'.repeat(32), note: `leaked ${TOKEN} here` };
    expect(await post(form(forged), FORM)).toEqual({ status: 403, body: 'fail' });
    expect(await post('{"order_id": "broken', { 'content-type': 'application/json' })).toEqual({
      status: 400,
      body: 'fail',
    });
    const withFile = new FormData();
    withFile.append('order_id', order.order_id);
    withFile.append('upload', new Blob(['x']), 'x.txt');
    const fileReply = await post(withFile);
    expect(fileReply.status).toBeGreaterThanOrEqual(400);
    expect(fileReply.status).toBeLessThan(500);
    expect(fileReply.body).toBe('fail');
    expect(await storedOrder(order)).toMatchObject({ status: 'pending' });

    const listed = await cli(['rejected']);
    expect(listed.code).toBe(0);
    expect(listed.stdout).toMatch(/^RECEIVED\s+FROM\s+CONTENT TYPE\s+REASON\s+WHY$/m);
    expect(listed.stdout).toMatch(
      /127\.0\.0\.1\s+multipart\/form-data; boundary=\S+\s+unreadable\s+the multipart body carries a file/,
    );
    expect(listed.stdout).toMatch(
      /application\/json\s+unreadable\s+the body starts like JSON but is not valid JSON/,
    );
    expect(listed.stdout).toMatch(/application\/x-www-form-urlencoded\s+bad-sign/);
    expect(listed.stdout).toContain('{"order_id": "broken');
    expect(listed.stdout).toContain(`order_id=${order.order_id}`);

    const json = JSON.parse((await cli(['--json', 'rejected'])).stdout) as Array<Record<string, unknown>>;
    expect(json.map((r) => r.reason)).toEqual(['unreadable', 'unreadable', 'bad-sign']);
    expect(json[2]).toMatchObject({ fields: { note: 'leaked [redacted] here', sign: 'f'.repeat(32) } });

    for (const output of [listed.stdout, JSON.stringify(json)]) expect(output).not.toContain(TOKEN);
    const folder = dirname(sqlitePath(t.server.config));
    for (const file of readdirSync(folder)) {
      expect(readFileSync(join(folder, file)).includes(TOKEN), file).toBe(false);
    }
  });

  it('refuses multipart bodies with too many fields, an oversized field, or too many bytes', async () => {
    const order = await checkout(t.server.app, { channel: 'alipay', product: 'vip' });
    const many = new FormData();
    for (const [name, value] of Object.entries(notificationFor(order))) many.append(name, value);
    for (let i = 0; i < 120; i++) many.append(`x${i}`, 'y');
    const big = new FormData();
    for (const [name, value] of Object.entries(notificationFor(order))) big.append(name, value);
    big.append('note', 'z'.repeat(5000));
    const huge = new FormData();
    for (let i = 0; i < 8; i++) huge.append(`n${i}`, 'w'.repeat(4000));
    for (const body of [many, big, huge]) expect(await post(body)).toEqual({ status: 413, body: 'fail' });
    expect(await storedOrder(order)).toMatchObject({ status: 'pending' });
    expect((await withStore(t.server, (store) => store.listRejected(10))).map((r) => r.reason)).toEqual([
      'too-large',
      'too-large',
      'too-large',
    ]);
  });

  it('answers a body over the limit with "fail" and records it, and nothing else changes', async () => {
    const order = await checkout(t.server.app, { channel: 'alipay', product: 'vip' });
    const reply = await post(`${form(notificationFor(order))}&pad=${'x'.repeat(20_000)}`, FORM);
    expect(reply).toEqual({ status: 413, body: 'fail' });
    expect(await storedOrder(order)).toMatchObject({ status: 'pending' });
    expect(await withStore(t.server, (store) => store.listRejected(10))).toMatchObject([
      { reason: 'too-large', fields: null, clientAddress: '127.0.0.1' },
    ]);
  });
});
