import { existsSync, readFileSync } from 'node:fs';
import { relative, resolve } from 'node:path';
import { formatPrice, ORDER_STATUSES, OrderStatus, yuan } from '@igepay/shared';
import { LIVE_DATABASE_URL, parseDatabaseUrl, SANDBOX_DATABASE_URL, wantsSandbox } from '../config/config.js';
import { redeliverEvent } from '../fulfillment/redeliver.js';
import { eventJson, orderJson, unappliedJson } from '../store/json.js';
import { openStore as openEngine } from '../store/open-store.js';
import type { EventRecord, OrderRecord, OrderStore } from '../store/order-store.js';
import { BackupError, backupSqlite } from '../store/sqlite/backup.js';
import { diagnoseNotification, parseNotificationBody } from './diagnose-notification.js';
import { type CheckStatus, runDoctor } from './doctor.js';
import { type Output, parseSince, table, time, untrusted } from './output.js';

/** A command failed in a way the user can fix: printed as one line, exit code 1. */
export class UsageError extends Error {}

/**
 * Opens the store that `DATABASE_URL` names (by default the server's: `sqlite:./data/igepay.db`,
 * or `sqlite:./data/sandbox.db` with `IGEPAY_SANDBOX=1`), whichever mode made it.
 */
async function openStore(env: NodeJS.ProcessEnv): Promise<OrderStore> {
  const database = databaseOf(env);
  // A command reads a database the server made: one that is not there is not made empty (which
  // then answered "No orders." for ever), it is named, with the other mode's if that one is.
  if (database.engine === 'sqlite' && !existsSync(database.path)) {
    const other = parseDatabaseUrl(wantsSandbox(env) ? LIVE_DATABASE_URL : SANDBOX_DATABASE_URL);
    const hint =
      !env.DATABASE_URL && other.engine === 'sqlite' && existsSync(other.path)
        ? wantsSandbox(env)
          ? ` The live server's is ${shown(other.path)}: run without IGEPAY_SANDBOX=1.`
          : ` The sandbox's is ${shown(other.path)}: IGEPAY_SANDBOX=1 igepay …`
        : ' Set DATABASE_URL to the one the server uses.';
    throw new UsageError(`No database at ${shown(database.path)}.${hint}`);
  }
  return openEngine(database);
}

/** Which database a command read, for a person: the SQLite file, relative when it is here. */
export function databaseName(env: NodeJS.ProcessEnv): string {
  const database = databaseOf(env);
  return database.engine === 'sqlite' ? shown(database.path) : 'PostgreSQL (DATABASE_URL)';
}

function shown(path: string): string {
  const here = relative(process.cwd(), path);
  return here.startsWith('..') ? path : here;
}

/** The database `DATABASE_URL` names, or the server's default for its mode. */
function databaseOf(env: NodeJS.ProcessEnv) {
  const fallback = wantsSandbox(env) ? SANDBOX_DATABASE_URL : LIVE_DATABASE_URL;
  return parseDatabaseUrl(env.DATABASE_URL || fallback);
}

async function withStore<T>(env: NodeJS.ProcessEnv, run: (store: OrderStore) => Promise<T>): Promise<T> {
  const store = await openStore(env);
  try {
    return await run(store);
  } finally {
    await store.close();
  }
}

function statusCell(out: Output, status: string): string {
  const style =
    status === 'paid' || status === 'delivered'
      ? 'green'
      : status === 'failed'
        ? 'red'
        : status === 'pending'
          ? 'yellow'
          : 'dim';
  return out.paint(style, status);
}

function deliveriesCell(out: Output, event: EventRecord): string {
  if (event.deliveries.length === 0) return out.paint('dim', '(no sink)');
  return event.deliveries.map((d) => `${d.sink} ${statusCell(out, d.state)} ×${d.attempts}`).join(', ');
}

/** `igepay orders`: orders, newest first. */
export async function listOrders(
  out: Output,
  env: NodeJS.ProcessEnv,
  options: { status?: string; since?: string; limit: number },
): Promise<void> {
  if (options.status !== undefined && !ORDER_STATUSES.includes(options.status as OrderStatus)) {
    throw new UsageError(`--status must be one of ${ORDER_STATUSES.join(', ')}`);
  }
  let since: number | undefined;
  try {
    since = options.since === undefined ? undefined : parseSince(options.since, Date.now());
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  const orders = await withStore(env, (store) =>
    store.listOrders({ status: options.status as OrderStatus | undefined, since, limit: options.limit }),
  );
  if (out.json) return out.print(JSON.stringify(orders.map(orderJson), null, 2));
  if (orders.length === 0) return out.print(out.paint('dim', `No orders in ${databaseName(env)}.`));
  out.print(
    table(
      ['ORDER', 'STATUS', 'PRICE', 'CHANNEL', 'NAME', 'CREATED'],
      orders.map((o) => [
        untrusted(o.orderId),
        statusCell(out, o.late ? `${o.status} (late)` : o.status),
        yuan(formatPrice(o.priceCents)),
        o.channel,
        untrusted(o.orderName ?? o.product ?? '', 60),
        time(o.createdAt),
      ]),
    ),
  );
}

/** `igepay order <id>`: one order and its events. */
export async function showOrder(out: Output, env: NodeJS.ProcessEnv, orderId: string): Promise<void> {
  const { order, events } = await withStore(env, async (store) => ({
    order: await store.getOrder(orderId),
    events: (await store.listEvents({ limit: 1000 })).filter((event) => event.orderId === orderId),
  }));
  if (!order) throw new UsageError(`No order ${orderId}.`);
  if (out.json)
    return out.print(JSON.stringify({ ...orderJson(order), events: events.map(eventJson) }, null, 2));
  const json = orderJson(order);
  const rows = Object.entries(json)
    .filter(([name, value]) => name !== 'echo_mismatch' || value !== null)
    .map(([name, value]) => [
      name,
      name === 'status'
        ? statusCell(out, String(value))
        : name === 'echo_mismatch'
          ? out.paint('yellow', mismatchText(order))
          : untrusted(String(value ?? ''), 200),
    ]);
  out.print(table(['FIELD', 'VALUE'], rows));
  if (order.echoMismatch) out.print(out.paint('dim', ECHO_HINT));
  for (const event of events)
    out.print(`\n${untrusted(event.id)}  ${event.type}  ${deliveriesCell(out, event)}`);
}

/** `igepay events`: events for the merchant's app and how their deliveries went. */
export async function listEvents(
  out: Output,
  env: NodeJS.ProcessEnv,
  options: { limit: number },
): Promise<void> {
  const events = await withStore(env, (store) => store.listEvents({ limit: options.limit }));
  if (out.json) return out.print(JSON.stringify(events.map(eventJson), null, 2));
  if (events.length === 0) return out.print(out.paint('dim', 'No events.'));
  out.print(
    table(
      ['EVENT', 'TYPE', 'ORDER', 'CREATED', 'DELIVERIES', 'LAST ERROR'],
      events.map((e) => [
        untrusted(e.id),
        e.type,
        untrusted(e.orderId),
        time(e.createdAt),
        deliveriesCell(out, e),
        // The receiver's reply: anyone's words.
        untrusted(e.deliveries.find((d) => d.lastError)?.lastError ?? ''),
      ]),
    ),
  );
}

/** `igepay redeliver <event>`: queues an event again, for its sinks (and the forward URL if set). */
export async function redeliver(out: Output, env: NodeJS.ProcessEnv, eventId: string): Promise<void> {
  const queued = await withStore(env, (store) =>
    redeliverEvent(store, eventId, env.IGEPAY_FORWARD_URL ? ['forward'] : [], Date.now()),
  );
  if (!queued) throw new UsageError(`No event ${eventId}.`);
  if (queued.length === 0) throw new UsageError(`${eventId} has no sink to go to: set IGEPAY_FORWARD_URL.`);
  if (out.json) return out.print(JSON.stringify({ id: eventId, queued_for: queued }));
  out.print(
    `${out.paint('green', 'Queued')} ${eventId} for ${queued.join(', ')}: the running server delivers it within a second.`,
  );
}

const ECHO_HINT =
  'Paid all the same: the sign and the amount were right, and the echoes are not signed. If igepay always echoes the key, IGEPAY_STRICT_KEY_ECHO=1 makes a differing one block payment (docs/first-live-payment.md).';

/** What an order's paying notification echoed differently, in one line. */
function mismatchText(order: OrderRecord): string {
  const parts: string[] = [];
  const mismatch = order.echoMismatch ?? {};
  if ('key' in mismatch) {
    parts.push(
      mismatch.key === null ? 'key not echoed' : `key echoed as ${untrusted(mismatch.key ?? '', 60)}`,
    );
  }
  if (mismatch.order_uid !== undefined)
    parts.push(`order_uid echoed as ${untrusted(mismatch.order_uid, 60)}`);
  return parts.join('; ');
}

/** `igepay reconcile`: what needs a human: notifications that could not be applied, late payments. */
export async function reconcile(out: Output, env: NodeJS.ProcessEnv): Promise<void> {
  const { unapplied, late, echoed } = await withStore(env, async (store) => {
    const paid = await store.listOrders({ status: OrderStatus.Paid, limit: 10_000 });
    return {
      unapplied: await store.listUnapplied(),
      late: paid.filter((order) => order.late),
      echoed: paid.filter((order) => order.echoMismatch !== null),
    };
  });
  if (out.json) {
    return out.print(
      JSON.stringify(
        {
          unapplied: unapplied.map(unappliedJson),
          late_payments: late.map(orderJson),
          echo_mismatches: echoed.map(orderJson),
        },
        null,
        2,
      ),
    );
  }
  const open = unapplied.filter((u) => u.resolvedAt === null);
  const resolved = unapplied.filter((u) => u.resolvedAt !== null);
  out.print(out.paint('bold', `Notifications igepay signed that could not be applied: ${open.length}`));
  if (open.length > 0) {
    out.print(
      table(
        ['ID', 'RECEIVED', 'REASON', 'ORDER', 'PRICE', 'PAY_NUM', 'CODE', 'MORE'],
        // igepay signs order_id and price only: the rest of a notification is anyone's words.
        open.map((u) => [
          String(u.id),
          time(u.receivedAt),
          out.paint('yellow', u.reason),
          untrusted(u.orderId),
          untrusted(u.price, 20),
          untrusted(u.payNum ?? '', 40),
          untrusted(u.code ?? '', 20),
          u.suppressed > 0 ? out.paint('red', `+${u.suppressed} variants`) : '',
        ]),
      ),
    );
  }
  if (resolved.length > 0) {
    out.print(out.paint('bold', `\nResolved in the dashboard: ${resolved.length}`));
    out.print(
      table(
        ['ID', 'RESOLVED', 'REASON', 'ORDER', 'PRICE', 'NOTE'],
        resolved.map((u) => [
          String(u.id),
          time(u.resolvedAt),
          u.reason,
          untrusted(u.orderId),
          untrusted(u.price, 20),
          untrusted(u.resolvedNote ?? '', 60),
        ]),
      ),
    );
  }
  out.print(
    out.paint('bold', `\nPayments after the order had expired or failed (paid all the same): ${late.length}`),
  );
  if (late.length > 0) {
    out.print(
      table(
        ['ORDER', 'PRICE', 'PAID', 'PAY_NUM'],
        late.map((o) => [
          untrusted(o.orderId),
          yuan(formatPrice(o.priceCents)),
          time(o.paidAt),
          untrusted(o.payNum ?? '', 40),
        ]),
      ),
    );
  }
  out.print(
    out.paint('bold', `\nPaid orders whose notification echoed fields differently: ${echoed.length}`),
  );
  if (echoed.length > 0) {
    out.print(
      table(
        ['ORDER', 'PRICE', 'PAID', 'DIFFERENCE'],
        echoed.map((o) => [
          untrusted(o.orderId),
          yuan(formatPrice(o.priceCents)),
          time(o.paidAt),
          mismatchText(o),
        ]),
      ),
    );
    out.print(out.paint('dim', ECHO_HINT));
  }
}

/** `igepay rejected`: the most recent notifications answered `fail`, to diagnose a first live payment. */
export async function listRejected(
  out: Output,
  env: NodeJS.ProcessEnv,
  options: { limit: number },
): Promise<void> {
  const rejected = await withStore(env, (store) => store.listRejected(options.limit));
  if (out.json) {
    return out.print(
      JSON.stringify(
        rejected.map((r) => ({
          id: r.id,
          received_at: new Date(r.receivedAt).toISOString(),
          client_address: r.clientAddress,
          content_type: r.contentType,
          reason: r.reason,
          detail: r.detail,
          fields: r.fields,
          excerpt: r.excerpt,
        })),
        null,
        2,
      ),
    );
  }
  if (rejected.length === 0) return out.print(out.paint('dim', 'No refused notifications.'));
  out.print(
    table(
      ['RECEIVED', 'FROM', 'CONTENT TYPE', 'REASON', 'WHY'],
      rejected.map((r) => [
        time(r.receivedAt),
        untrusted(r.clientAddress, 40),
        untrusted(r.contentType ?? '(none)', 40),
        out.paint('red', r.reason),
        untrusted(r.detail, 80),
      ]),
    ),
  );
  out.print('');
  for (const r of rejected) {
    const body =
      r.fields === null ? (r.excerpt ?? '(empty)') : new URLSearchParams(Object.entries(r.fields)).toString();
    out.print(`${out.paint('dim', `#${r.id}`)} ${untrusted(body, 400)}`);
  }
  out.print(
    out.paint(
      'dim',
      "\nCheck one with IGEPAY_TOKEN set: igepay verify-notify --body '<the body above>' (docs/first-live-payment.md).",
    ),
  );
}

/** `igepay verify-notify`: is a captured notification's sign right for IGEPAY_TOKEN, and if not, why? */
export async function verifyNotify(
  out: Output,
  env: NodeJS.ProcessEnv,
  options: { file?: string; body?: string },
): Promise<boolean> {
  const token = env.IGEPAY_TOKEN;
  if (!token)
    throw new UsageError(
      'Set IGEPAY_TOKEN (your merchant token) in the environment; it is never taken as an argument.',
    );
  const text =
    options.body ??
    (options.file ? readFileSync(options.file === '-' ? 0 : options.file, 'utf8') : undefined);
  if (text === undefined)
    throw new UsageError(
      'Give the captured body: --body "pay_num=...&sign=..." or --file body.txt (- for stdin).',
    );
  let fields: Record<string, string>;
  try {
    fields = parseNotificationBody(text);
  } catch {
    throw new UsageError('The body is neither a form (a=1&b=2) nor JSON.');
  }
  const diagnosis = diagnoseNotification(fields, token);
  if (out.json) out.print(JSON.stringify(diagnosis, null, 2));
  else {
    out.print(out.paint(diagnosis.ok ? 'green' : 'red', diagnosis.summary));
    for (const line of diagnosis.details) out.print(out.paint('dim', `  ${line}`));
  }
  return diagnosis.ok;
}

const MARKS: Readonly<Record<CheckStatus, [string, 'green' | 'yellow' | 'red']>> = {
  pass: ['✓', 'green'],
  warn: ['!', 'yellow'],
  fail: ['✗', 'red'],
};

/** `igepay doctor`: is this live configuration ready for buyers? True when nothing blocks it. */
export async function doctor(
  out: Output,
  env: NodeJS.ProcessEnv,
  options: { resolve?: readonly string[] },
): Promise<boolean> {
  const resolve = new Map<string, string>();
  for (const item of options.resolve ?? []) {
    const at = item.lastIndexOf(':', item.startsWith('[') ? item.indexOf(']') : undefined);
    const split = item.indexOf(':');
    const host = split > 0 ? item.slice(0, split) : '';
    const address = split > 0 ? item.slice(split + 1).replace(/^\[|\]$/g, '') : '';
    if (at < 0 || host === '' || address === '')
      throw new UsageError(`--resolve must be host:address, not "${item}"`);
    resolve.set(host, address);
  }
  const report = await runDoctor(env, { resolve });
  if (out.json) {
    out.print(JSON.stringify(report, null, 2));
    return report.ok;
  }
  const width = Math.max(...report.checks.map((check) => check.name.length));
  for (const check of report.checks) {
    const [mark, colour] = MARKS[check.status];
    out.print(`${out.paint(colour, mark)} ${check.name.padEnd(width)}  ${check.message}`);
  }
  const blocking = report.checks.filter((check) => check.status === 'fail').length;
  out.print(
    blocking === 0
      ? out.paint('green', '\nNothing blocks going live. Next: a ¥0.01 order (docs/first-live-payment.md).')
      : out.paint(
          'red',
          `\n${blocking} ${blocking === 1 ? 'check blocks' : 'checks block'} going live: fix ${blocking === 1 ? 'it' : 'them'}, then run igepay doctor again.`,
        ),
  );
  return report.ok;
}

/**
 * `igepay admin sign-out-all`: every dashboard session ends now (a lost laptop, a password that
 * leaked); kept in the audit trail. A new password hash also ends them, at the next restart.
 */
export async function signOutAll(out: Output, env: NodeJS.ProcessEnv): Promise<void> {
  const now = Date.now();
  await withStore(env, async (store) => {
    await store.deleteAdminSessions({ lastSeenBefore: Number.MAX_SAFE_INTEGER });
    await store.recordAdminAction({
      at: now,
      action: 'sign-out-all',
      session: 'command',
      client: 'igepay admin sign-out-all',
      target: null,
      note: null,
    });
  });
  if (out.json) return out.print(JSON.stringify({ signed_out_at: new Date(now).toISOString() }));
  out.print(`${out.paint('green', 'Signed out')} every dashboard session: sign in again with the password.`);
}

/** `igepay backup FILE`: a consistent copy of the SQLite database, safe while the server runs. */
export async function backup(out: Output, env: NodeJS.ProcessEnv, file: string): Promise<void> {
  const database = databaseOf(env);
  if (database.engine !== 'sqlite') {
    throw new UsageError(
      'DATABASE_URL names PostgreSQL: back it up with pg_dump (docs/deploy.md, "Backups")',
    );
  }
  let copy: Awaited<ReturnType<typeof backupSqlite>>;
  try {
    copy = await backupSqlite(database.path, resolve(file));
  } catch (error) {
    if (error instanceof BackupError) throw new UsageError(error.message);
    throw error;
  }
  if (out.json) {
    out.print(JSON.stringify({ file: copy.file, bytes: copy.bytes, orders: copy.orders }));
    return;
  }
  out.print(`${copy.file}: ${copy.orders} orders, ${copy.bytes} bytes, integrity checked`);
}
