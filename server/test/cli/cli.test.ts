import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { notificationSign } from '@igepay/shared/signing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SqliteStore } from '../../src/store/sqlite/store.js';
import { newOrder, TOKEN, tempDir } from '../support/harness.js';
import { ENTRY, listeningAt, runCli, runEntry, SERVER_DIR } from '../support/process.js';

let dir: ReturnType<typeof tempDir>;
let databaseUrl: string;
const NOW = Date.now();

beforeEach(async () => {
  dir = tempDir();
  databaseUrl = `sqlite:${join(dir.dir, 'igepay.db')}`;
  const store = await SqliteStore.open({ path: join(dir.dir, 'igepay.db'), sinks: ['forward'] });
  const order = (orderId: string, createdAt: number) =>
    store.createOrder(newOrder(orderId, { createdAt, expiresAt: createdAt + 60_000 }));
  await order('old-pending', NOW - 3 * 86_400_000);
  await order('recent-paid', NOW - 60_000);
  await order('late-paid', NOW - 120_000);
  const pay = (orderId: string, paidAt: number) =>
    store.markPaid({
      orderId,
      payNum: `P-${orderId}`,
      transactionId: null,
      paidAt,
      requestKey: 'k'.repeat(32),
      priceCents: 1230,
      echo: { key: 'k'.repeat(32), orderUid: null },
    });
  await pay('recent-paid', NOW - 30_000);
  await pay('late-paid', NOW); // after its expiry: late
  await store.recordUnapplied({
    reason: 'unknown-order',
    orderId: 'ghost',
    price: '1.00',
    payNum: 'P-ghost',
    code: '0000',
    fields: { order_id: 'ghost', price: '1.00' },
    receivedAt: NOW,
  });
  await store.close();
});
afterEach(() => dir.cleanup());

function igepay(args: string[], env: Record<string, string> = {}, stdin?: string) {
  return runCli(args, { DATABASE_URL: databaseUrl, ...env }, stdin);
}

describe('the igepay command', () => {
  it('lists orders as a table, filtered by status and time, and as JSON', async () => {
    const all = await igepay(['orders']);
    expect(all.code).toBe(0);
    expect(all.stdout.split('\n')[0]).toMatch(/^ORDER\s+STATUS\s+PRICE\s+CHANNEL\s+NAME\s+CREATED$/);
    expect(all.stdout).toContain('paid (late)');
    expect(all.stdout).toContain('¥12.30');
    // Thousands grouped, as the element and the dashboard show amounts.
    const big = await SqliteStore.open({ path: join(dir.dir, 'igepay.db') });
    await big.createOrder(newOrder('big', { priceCents: 128_800, createdAt: NOW, expiresAt: NOW + 60_000 }));
    await big.close();
    expect((await igepay(['orders'])).stdout).toContain('¥1,288.00');
    // Times as this machine's clock reads them, with the offset.
    const shanghai = await igepay(['orders'], { TZ: 'Asia/Shanghai' });
    const local = new Date(NOW + 8 * 3_600_000).toISOString().slice(0, 19).replace('T', ' ');
    expect(shanghai.stdout).toContain(`${local}+08:00`);
    expect(all.stdout).not.toContain('\u001b['); // no colours when not on a terminal

    const paid = JSON.parse((await igepay(['--json', 'orders', '--status', 'paid'])).stdout) as Array<{
      order_id: string;
    }>;
    expect(paid.map((o) => o.order_id).sort()).toEqual(['late-paid', 'recent-paid']);
    const recent = JSON.parse((await igepay(['orders', '--since', '1h', '--json'])).stdout) as Array<{
      order_id: string;
    }>;
    expect(recent.map((o) => o.order_id)).not.toContain('old-pending');

    const bad = await igepay(['orders', '--status', 'refunded']);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toBe('igepay: --status must be one of pending, paid, failed, expired\n');
  });

  it("never makes a database it was asked to read: it names the one missing, and the sandbox's", async () => {
    const here = (args: string[], env: Record<string, string> = {}) => runCli(args, env, '', dir.dir);
    const missing = await here(['orders']);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toBe(
      'igepay: No database at data/igepay.db. Set DATABASE_URL to the one the server uses.\n',
    );
    expect(existsSync(join(dir.dir, 'data'))).toBe(false);
    // After the demo: the sandbox's database is there, and the live one is not.
    mkdirSync(join(dir.dir, 'data'));
    await (await SqliteStore.open({ path: join(dir.dir, 'data', 'sandbox.db'), sinks: [] })).close();
    expect((await here(['orders'])).stderr).toBe(
      "igepay: No database at data/igepay.db. The sandbox's is data/sandbox.db: IGEPAY_SANDBOX=1 igepay …\n",
    );
    expect(existsSync(join(dir.dir, 'data', 'igepay.db'))).toBe(false);
    // Read, and empty: it says which database it read.
    const empty = await here(['orders'], { IGEPAY_SANDBOX: '1' });
    expect(empty).toMatchObject({ code: 0, stdout: 'No orders in data/sandbox.db.\n' });
  });

  it('prints no control character that came from outside, in any field of any command', async () => {
    // Clear the screen, a link with false words, a bell, a C1 escape: what a terminal obeys; and
    // a right-to-left override, which makes the text after it read backwards.
    const evil = (name: string) =>
      `${name}\u001b[2J\u001b]8;;https://evil.example\u0007ALL CLEAR\u001b]8;;\u0007\u009b1m\u202edias`;
    const path = join(dir.dir, 'hostile.db');
    const store = await SqliteStore.open({ path, sinks: ['forward'] });
    const at = Date.now() - 120_000;
    await store.createOrder(
      newOrder(evil('order'), { orderName: evil('name'), createdAt: at, expiresAt: at + 60_000 }),
    );
    await store.markPaid({
      orderId: evil('order'),
      payNum: evil('pay'),
      transactionId: null,
      paidAt: Date.now(), // after its expiry: in the late payments
      requestKey: 'k'.repeat(32),
      priceCents: 1230,
      echo: { key: evil('key'), orderUid: evil('uid') },
    });
    await store.recordUnapplied({
      reason: 'unknown-order',
      orderId: evil('ghost'),
      price: evil('price'),
      payNum: evil('pay'),
      code: evil('code'),
      fields: { order_id: evil('ghost'), price: evil('price'), sign: 's', extra: evil('field') },
      receivedAt: Date.now(),
    });
    await store.recordUnapplied({
      reason: 'price-mismatch',
      orderId: evil('ghost'),
      price: evil('price'),
      payNum: evil('other'),
      code: '0000',
      fields: { order_id: evil('ghost'), sign: 's' },
      receivedAt: Date.now(),
    });
    const [, second] = await store.listUnapplied();
    await store.resolveUnapplied(second?.id ?? 0, Date.now(), evil('note'));
    for (const event of await store.listEvents({ limit: 10 })) {
      await store.recordDelivery({
        eventId: event.id,
        sink: 'forward',
        state: 'pending',
        nextAttemptAt: Date.now() + 30_000,
        error: evil('reply'),
        deliveredAt: null,
        attemptedAt: Date.now(),
        reply: evil('reply'),
      });
    }
    await store.recordRejected(
      {
        reason: 'bad-sign',
        detail: evil('detail'),
        receivedAt: Date.now(),
        clientAddress: evil('from'),
        contentType: evil('type'),
        fields: { order_id: evil('field') },
        excerpt: null,
      },
      10,
    );
    await store.close();

    const env = { DATABASE_URL: `sqlite:${path}` };
    const outputs = await Promise.all(
      [['orders'], ['order', evil('order')], ['events'], ['reconcile'], ['rejected']].map((args) =>
        runCli(args, env),
      ),
    );
    for (const [index, output] of outputs.entries()) {
      expect(output.code, output.stderr).toBe(0);
      expect(output.stdout.length, `command ${index}`).toBeGreaterThan(0);
      // Only line breaks and tabs: escapes show as text (\x1b, \u202e), never reach the terminal.
      expect(output.stdout, `command ${index}`).not.toMatch(
        // biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is the point.
        /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/,
      );
    }
    // Each planted field was printed (escaped), so each was checked.
    const all = outputs.map((output) => output.stdout).join('\n');
    for (const name of [
      'order',
      'name',
      'pay',
      'ghost',
      'price',
      'code',
      'note',
      'reply',
      'from',
      'detail',
    ]) {
      expect(all, name).toContain(`${name}\\x1b[2J`);
    }
  });

  it('signs every dashboard session out, and the audit trail says so', async () => {
    const path = join(dir.dir, 'igepay.db');
    const store = await SqliteStore.open({ path });
    for (const id of ['a', 'b'])
      await store.createAdminSession({
        idHash: id.repeat(64),
        csrfToken: id,
        createdAt: NOW,
        lastSeenAt: NOW,
      });
    await store.close();
    const ended = await igepay(['admin', 'sign-out-all']);
    expect(ended).toMatchObject({
      code: 0,
      stdout: 'Signed out every dashboard session: sign in again with the password.\n',
    });
    const after = await SqliteStore.open({ path });
    expect(await after.getAdminSession('a'.repeat(64))).toBeUndefined();
    expect(await after.getAdminSession('b'.repeat(64))).toBeUndefined();
    expect((await after.listAdminActions(5)).map((action) => [action.action, action.client])).toEqual([
      ['sign-out-all', 'igepay admin sign-out-all'],
    ]);
    await after.close();
  });

  it('shows one order with its events, and says when there is none', async () => {
    const shown = await igepay(['order', 'recent-paid']);
    expect(shown.code).toBe(0);
    expect(shown.stdout).toMatch(/pay_num\s+P-recent-paid/);
    expect(shown.stdout).toContain('evt_paid_recent-paid  order.paid  forward pending ×0');
    const missing = await igepay(['order', 'nope']);
    expect(missing).toMatchObject({ code: 1, stderr: 'igepay: No order nope.\n' });
  });

  it('lists events with their deliveries, and queues one again', async () => {
    const events = JSON.parse((await igepay(['events', '--json'])).stdout) as Array<{
      id: string;
      type: string;
      deliveries: unknown[];
    }>;
    expect(events.map((e) => e.type).sort()).toEqual(['notification.unapplied', 'order.paid', 'order.paid']);
    expect(events.find((e) => e.id === 'evt_paid_late-paid')?.deliveries).toEqual([
      expect.objectContaining({ sink: 'forward', state: 'pending', attempts: 0 }),
    ]);

    const queued = await igepay(['redeliver', 'evt_paid_recent-paid']);
    expect(queued.code).toBe(0);
    expect(queued.stdout).toContain('Queued evt_paid_recent-paid for forward');
    expect(await igepay(['redeliver', 'evt_nope'])).toMatchObject({
      code: 1,
      stderr: 'igepay: No event evt_nope.\n',
    });
  });

  it('reconciles: the notifications that could not be applied, and the late payments', async () => {
    const report = await igepay(['reconcile']);
    expect(report.stdout).toContain('could not be applied: 1');
    expect(report.stdout).toMatch(/unknown-order\s+ghost\s+1\.00\s+P-ghost/);
    expect(report.stdout).toContain('(paid all the same): 1');
    const json = JSON.parse((await igepay(['reconcile', '--json'])).stdout);
    expect(json.late_payments.map((o: { order_id: string }) => o.order_id)).toEqual(['late-paid']);
  });

  it('reconciles: a notification resolved in the dashboard is listed apart, with its note', async () => {
    const store = await SqliteStore.open({ path: join(dir.dir, 'igepay.db') });
    const [ghost] = await store.listUnapplied();
    expect(await store.resolveUnapplied(ghost?.id ?? 0, NOW + 1_000, 'refunded at igepay')).toBe(true);
    await store.close();
    const report = await igepay(['reconcile']);
    expect(report.stdout).toContain('could not be applied: 0');
    expect(report.stdout).toContain('Resolved in the dashboard: 1');
    expect(report.stdout).toMatch(/unknown-order\s+ghost\s+1\.00\s+refunded at igepay/);
    const json = JSON.parse((await igepay(['reconcile', '--json'])).stdout);
    expect(json.unapplied).toMatchObject([{ order_id: 'ghost', resolved_note: 'refunded at igepay' }]);
  });

  it('verifies a captured notification, and says what is different when the sign is wrong', async () => {
    const sign = notificationSign({ order_id: '201710192541', price: '10.00' }, TOKEN);
    const right = `pay_num=P1&order_id=201710192541&price=10.00&code=0000&key=${'k'.repeat(32)}&sign=${sign}`;
    const ok = await igepay(['verify-notify', '--body', right], { IGEPAY_TOKEN: TOKEN });
    expect(ok).toMatchObject({ code: 0 });
    expect(ok.stdout).toContain('The sign is right (code 0000: a payment).');

    // Signed over 10.00 and sent as 10: the server takes it (docs/protocol.md §1.6), and so does the tool.
    const respelled = right.replace('price=10.00', 'price=10');
    const accepted = await igepay(['verify-notify', '--file', '-'], { IGEPAY_TOKEN: TOKEN }, respelled);
    expect(accepted.code).toBe(0);
    expect(accepted.stdout).toContain('right for the amount spelled "10.00" (igepay sent "10")');

    // Signed over 10, then logged with the price reformatted as 10.00: the tool says so.
    const sign10 = notificationSign({ order_id: '201710192541', price: '10' }, TOKEN);
    const reformatted = right.replace(sign, sign10);
    const wrong = await igepay(['verify-notify', '--file', '-'], { IGEPAY_TOKEN: TOKEN }, reformatted);
    expect(wrong.code).toBe(2);
    expect(wrong.stdout).toContain('right for the price as "10" instead of "10.00"');

    // The server refuses an uppercase sign; so does the tool, and it says why.
    const upper = right.replace(sign, sign.toUpperCase());
    const shouting = await igepay(['verify-notify', '--body', upper], { IGEPAY_TOKEN: TOKEN });
    expect(shouting.code).toBe(2);
    expect(shouting.stdout).toContain('right but written in uppercase hex');

    const otherToken = await igepay(['verify-notify', '--body', right, '--json'], {
      IGEPAY_TOKEN: 'another-merchant-token',
    });
    expect(JSON.parse(otherToken.stdout)).toMatchObject({
      ok: false,
      summary: expect.stringMatching(/is IGEPAY_TOKEN the token/),
    });
    expect(otherToken.stdout).not.toContain('another-merchant-token');

    expect(await igepay(['verify-notify', '--body', right])).toMatchObject({
      code: 1,
      stderr: expect.stringMatching(/Set IGEPAY_TOKEN/),
    });
  });
});

describe('igepay --version and igepay serve', () => {
  it("prints the package's version", async () => {
    const { readFileSync } = await import('node:fs');
    const manifest = JSON.parse(readFileSync(join(SERVER_DIR, 'package.json'), 'utf8')) as {
      version: string;
    };
    const { code, stdout } = await runCli(['--version'], {});
    expect(code).toBe(0);
    expect(stdout.trim()).toBe(manifest.version);
    expect((await runCli(['--help'], {})).stdout).toMatch(/^\s+serve\s+run the signing server/m);
  });

  it('runs the signing server, and stops it on SIGTERM', async () => {
    const dir = tempDir();
    const server = runEntry(
      {
        IGEPAY_UID: '10001',
        IGEPAY_TOKEN: TOKEN,
        PORT: '0',
        DATABASE_URL: `sqlite:${join(dir.dir, 'igepay.db')}`,
      },
      ENTRY.igepay,
      { args: ['serve'] },
    );
    try {
      const base = await listeningAt(server);
      expect(await (await fetch(`${base}/healthz`)).json()).toEqual({ status: 'ok' });
      const exited = new Promise((resolve) => server.child.once('exit', resolve));
      server.child.kill('SIGTERM');
      expect(await exited).toBe(0);
    } finally {
      server.child.kill('SIGKILL');
      dir.cleanup();
    }
  });
});

describe('igepay backup', () => {
  it('copies the database consistently while the server writes to it, and the copy is a working store', async () => {
    const server = runEntry(
      {
        IGEPAY_UID: '10001',
        IGEPAY_TOKEN: TOKEN,
        PORT: '0',
        DATABASE_URL: databaseUrl,
        IGEPAY_RATE_LIMIT: '0',
      },
      ENTRY.igepay,
      { args: ['serve'] },
    );
    const checkout = (base: string) =>
      fetch(`${base}/api/checkout`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ channel: 'alipay', price: '1.00' }),
      }).then((reply) => reply.status);
    try {
      const base = await listeningAt(server);
      for (let i = 0; i < 20; i++) expect(await checkout(base)).toBe(201);
      // Checkouts go on writing while the copy is made.
      let writing = true;
      let written = 0;
      const writer = (async () => {
        while (writing) if ((await checkout(base)) === 201) written += 1;
      })();
      const file = join(dir.dir, 'backup', 'igepay-copy.db');
      const { mkdirSync, statSync } = await import('node:fs');
      mkdirSync(join(dir.dir, 'backup'));
      const made = await igepay(['--json', 'backup', file]);
      writing = false;
      await writer;
      expect(made.code, made.stderr).toBe(0);
      const report = JSON.parse(made.stdout) as { file: string; orders: number; bytes: number };
      // The 3 orders of beforeEach and the 20 above, at least; at most what was written in all.
      expect(report.file).toBe(file);
      expect(report.orders).toBeGreaterThanOrEqual(23);
      expect(report.orders).toBeLessThanOrEqual(23 + written);
      expect(written).toBeGreaterThan(0);
      expect(statSync(file).mode & 0o777).toBe(0o600);
      // The copy is a store the CLI (and so the server) opens, with the same paid orders.
      const listed = await runCli(['--json', 'orders', '--status', 'paid'], {
        DATABASE_URL: `sqlite:${file}`,
      });
      expect(listed.code, listed.stderr).toBe(0);
      expect(
        (JSON.parse(listed.stdout) as Array<{ order_id: string }>).map((o) => o.order_id).sort(),
      ).toEqual(['late-paid', 'recent-paid']);
      // Never over an existing file.
      const again = await igepay(['backup', file]);
      expect(again.code).toBe(1);
      expect(again.stderr).toContain('exists: back up to a new file');
    } finally {
      server.child.kill('SIGTERM');
    }
  });

  it('says what to use for PostgreSQL, and when there is no database', async () => {
    const postgres = await igepay(['backup', join(dir.dir, 'x.db')], {
      DATABASE_URL: 'postgres://igepay:secret-password@127.0.0.1:1/igepay',
    });
    expect(postgres.code).toBe(1);
    expect(postgres.stderr).toContain('pg_dump');
    expect(postgres.stderr).not.toContain('secret-password');
    const missing = await igepay(['backup', join(dir.dir, 'x.db')], {
      DATABASE_URL: `sqlite:${join(dir.dir, 'none.db')}`,
    });
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/^igepay: no database at \S+none\.db\n$/);
  });
});
