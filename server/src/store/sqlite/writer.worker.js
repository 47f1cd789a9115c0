// @ts-check
/**
 * The SQLite writer thread. Every write of the embedded store runs here, so the fsync of a
 * durable commit never blocks the server's event loop: while this thread commits one group
 * of writes, the main thread goes on parsing and answering requests, and everything it
 * posts meanwhile becomes the next group (group commit).
 *
 * Plain JavaScript (type-checked through JSDoc) because Node loads a worker's file itself:
 * the same file runs from `src/` under the tests and from `dist/` in production.
 *
 * Protocol: the main thread posts `{ type: 'ops', ops: [{ id, kind, args }] }` messages.
 * This thread takes every message waiting, runs all their ops in one IMMEDIATE transaction,
 * commits (fsync: synchronous=FULL), then posts
 * `{ type: 'done', results: [{ id, ok, value | error }] }`. `{ type: 'close' }` ends it.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { unappliedEventBody } from '../event-bodies.js';
import { MAX_UNAPPLIED_VARIANTS } from '../unapplied.js';
import { NAMES_PER_TURN, nameIndex } from './name-index.js';
import { openDatabase, pluck, transaction } from './sqlite.js';

/** @typedef {import('./messages.js').WriteOps} WriteOps */
/** @typedef {import('./messages.js').WriteOp} Op */
/** @typedef {import('./messages.js').WriteResult} Result */
/** @typedef {import('./messages.js').ToWriter} Message */
/** @typedef {import('./messages.js').FromWriter} Reply */

if (!parentPort) throw new Error('writer.worker.js runs as a worker thread');
const port = parentPort;

/**
 * A thread started ahead of its store (`prewarmWriterThread`: its start-up overlaps the
 * server's own) is told its database by its first message; nothing else is sent before it
 * answers `ready`.
 * @returns {Promise<import('./messages.js').WriterData>}
 */
const openMessage = () =>
  new Promise((resolve) =>
    port.once('message', (/** @type {Message} */ message) => {
      if (message.type === 'open') resolve(message.data);
    }),
  );
const { path, sinks, livemode } = /** @type {import('./messages.js').WriterData} */ (
  workerData ?? (await openMessage())
);
const db = openDatabase(path);
// The lock wait first: setting WAL takes a lock another opener may hold for a moment.
db.exec('PRAGMA busy_timeout = 5000');
db.exec('PRAGMA journal_mode = WAL');
// FULL: each commit is fsynced before its callers hear about it.
db.exec('PRAGMA synchronous = FULL');
// Room for the hot part of a large order table (time-ordered ids keep it at the end): a miss
// here is a read on the commit path. 8 MiB: a larger cache bought no throughput, only memory.
db.exec('PRAGMA cache_size = -8192');

const sql = {
  // The two hot statements bind by position: binding by name showed in their profile.
  insert: db.prepare(`
    INSERT INTO orders (order_id, client_secret_hash, status, price_cents, channel, product, order_name,
      order_uid, request_key, created_at, expires_at, updated_at, return_to)
    VALUES (?, ?, 'pending', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`),
  get: db.prepare('SELECT * FROM orders WHERE order_id = ?'),
  getEvent: db.prepare('SELECT id FROM events WHERE id = ?'),
  // The status condition makes the change to paid happen once, whoever races; the key and
  // amount conditions keep a payment from landing on an order it does not describe.
  // The echoes' difference from the order (echoMismatch of @igepay/shared/signing) is worked
  // out here, in the same statement: no read before the write. Plain repeated `?`: an
  // UPDATE … FROM (SELECT ? AS …) costs seven times the statement, numbered ones do not bind.
  markPaid: db.prepare(`
    UPDATE orders SET status = 'paid', paid_at = ?, pay_num = ?, transaction_id = ?,
      late = (status <> 'pending' OR expires_at <= ?), updated_at = ?,
      echo_mismatch = CASE
        WHEN ? IS NOT NULL AND request_key = ? THEN
          CASE WHEN coalesce(?, '') = '' OR order_uid IS ? THEN NULL ELSE json_object('order_uid', ?) END
        WHEN coalesce(?, '') = '' OR order_uid IS ? THEN json_object('key', ?)
        ELSE json_object('key', ?, 'order_uid', ?)
      END
    WHERE order_id = ? AND status <> 'paid' AND (? IS NULL OR request_key = ?) AND price_cents = ?
    RETURNING late, echo_mismatch`),
  markFailed: db.prepare(`
    UPDATE orders SET status = 'failed', failure_code = @code, updated_at = @at
    WHERE order_id = @orderId AND status = 'pending'`),
  expire: pluck(
    db.prepare(`
      UPDATE orders SET status = 'expired', updated_at = @now
      WHERE status = 'pending' AND expires_at <= @now RETURNING order_id`),
  ),
  insertUnapplied: db.prepare(`
    INSERT INTO unapplied_notifications
      (fingerprint, signed_key, event_id, reason, order_id, price, pay_num, code, fields, received_at,
       resolved_at, resolved_note)
    VALUES (@fingerprint, @signedKey, @eventId, @reason, @orderId, @price, @payNum, @code, @fields, @receivedAt,
       @resolvedAt, @resolvedNote)
    ON CONFLICT (fingerprint) DO NOTHING`),
  unappliedKept: pluck(db.prepare('SELECT count(*) FROM unapplied_notifications WHERE fingerprint = ?')),
  variantsKept: pluck(db.prepare('SELECT count(*) FROM unapplied_notifications WHERE signed_key = ?')),
  countVariant: db.prepare(`
    UPDATE unapplied_notifications SET suppressed = suppressed + 1
    WHERE id = (SELECT min(id) FROM unapplied_notifications WHERE signed_key = ?)`),
  // The paid event's body is made once, here, from the stored order: resends send the same
  // bytes under the same id. OR IGNORE: an order is paid once, so its event is made once.
  insertPaidEvent: db.prepare(`
    INSERT OR IGNORE INTO events (id, type, order_id, body, created_at)
    SELECT 'evt_paid_' || order_id, 'order.paid', order_id,
      json_object('id', 'evt_paid_' || order_id, 'type', 'order.paid', 'created', CAST(? AS INTEGER),
        'livemode', json(?),
        'data', json_object('order_id', order_id,
          'price', printf('%d.%02d', price_cents / 100, price_cents % 100), 'channel', channel,
          'product', product, 'order_name', order_name, 'order_uid', order_uid,
          'pay_num', pay_num, 'transaction_id', transaction_id,
          'paid_at', strftime('%Y-%m-%dT%H:%M:%fZ', paid_at / 1000.0, 'unixepoch'),
          'late', json(CASE WHEN late THEN 'true' ELSE 'false' END),
          'echo_mismatch', json(coalesce(echo_mismatch, 'null')))),
      ?
    FROM orders WHERE order_id = ?`),
  insertNotification: db.prepare(
    'INSERT INTO notifications (order_id, received_at, fields) VALUES (?, ?, ?)',
  ),
  // A resend is kept while the order has fewer than 20: a replayed notification grows nothing.
  insertRepeat: db.prepare(`
    INSERT INTO notifications (order_id, received_at, fields)
    SELECT @orderId, @receivedAt, @fields WHERE (SELECT count(*) FROM notifications WHERE order_id = @orderId) < 20`),
  insertAttempt: db.prepare(
    'INSERT INTO delivery_attempts (event_id, sink, at, ok, reply) VALUES (@eventId, @sink, @attemptedAt, @ok, @reply)',
  ),
  insertRejected: db.prepare(`
    INSERT INTO rejected_notifications (received_at, client_address, content_type, reason, detail, fields, excerpt)
    VALUES (@receivedAt, @clientAddress, @contentType, @reason, @detail, @fields, @excerpt)`),
  trimRejected: db.prepare('DELETE FROM rejected_notifications WHERE id <= ?'),
  createAdminSession: db.prepare(
    'INSERT INTO admin_sessions (id_hash, csrf_token, created_at, last_seen_at) VALUES (@idHash, @csrfToken, @createdAt, @lastSeenAt)',
  ),
  touchAdminSession: db.prepare('UPDATE admin_sessions SET last_seen_at = @at WHERE id_hash = @idHash'),
  deleteAdminSession: db.prepare('DELETE FROM admin_sessions WHERE id_hash = ?'),
  deleteIdleAdminSessions: db.prepare('DELETE FROM admin_sessions WHERE last_seen_at < ?'),
  resolveUnapplied: db.prepare(
    'UPDATE unapplied_notifications SET resolved_at = @at, resolved_note = @note WHERE id = @id AND resolved_at IS NULL',
  ),
  recordAdminAction: db.prepare(
    'INSERT INTO admin_actions (at, action, session, client, target, note) VALUES (@at, @action, @session, @client, @target, @note)',
  ),
  probe: db.prepare(
    'UPDATE schema_migrations SET applied_at = applied_at WHERE version = (SELECT MAX(version) FROM schema_migrations)',
  ),
  insertEvent: db.prepare(
    'INSERT OR IGNORE INTO events (id, type, order_id, body, created_at) VALUES (@id, @type, @orderId, @body, @at)',
  ),
  insertDelivery: db.prepare(`
    INSERT OR IGNORE INTO deliveries (event_id, sink, state, attempts, next_attempt_at)
    VALUES (?, ?, 'pending', 0, ?)`),
  deliveryDone: db.prepare(`
    UPDATE deliveries SET state = @state, attempts = attempts + 1, next_attempt_at = @nextAttemptAt,
      last_error = @error, delivered_at = @deliveredAt
    WHERE event_id = @eventId AND sink = @sink AND state = 'pending'`),
  redeliver: db.prepare(`
    INSERT INTO deliveries (event_id, sink, state, attempts, next_attempt_at) VALUES (?, ?, 'pending', 0, ?)
    ON CONFLICT (event_id, sink) DO UPDATE SET state = 'pending', next_attempt_at = excluded.next_attempt_at`),
};

/**
 * Queues an event for every configured sink (events exist to be delivered: with no sink,
 * none is written). Called inside the transaction that made the
 * change it reports (the transactional outbox): both are durable together, or neither.
 * @param {string} eventId
 * @param {number} at
 */
function deliverToSinks(eventId, at) {
  for (const sink of sinks) sql.insertDelivery.run(eventId, sink, at);
}

/** The name index, written off the commit path (name-index.js). */
const names = nameIndex(db);

/** @type {{ [K in keyof WriteOps]: (args: WriteOps[K]['args']) => WriteOps[K]['result'] }} */
const OPS = {
  createOrder: (o) => {
    sql.insert.run(
      o.orderId,
      o.clientSecretHash,
      o.priceCents,
      o.channel,
      o.product,
      o.orderName,
      o.orderUid,
      o.requestKey,
      o.createdAt,
      o.expiresAt,
      o.createdAt,
      o.returnTo,
    );
    // The name's words cost more than the order itself (pnpm bench:writes): its commit only
    // queues it, and this thread writes them when no write waits (name-index.js). A second
    // statement, yet no savepoint: the queue's key is the order's, just taken above.
    if (o.orderName !== null) {
      names.queue(o.orderId);
      namesWaiting += 1;
    }
    return null;
  },
  // The common case returns one column (a whole row showed in the write's profile); the
  // order is read only when the payment was not applied, to tell why.
  markPaid: (payment) => {
    const { paidAt, payNum, transactionId, orderId, requestKey, priceCents, echo } = payment;
    const paid = /** @type {{ late: number, echo_mismatch: string | null } | undefined} */ (
      sql.markPaid.get(
        ...[paidAt, payNum, transactionId, paidAt, paidAt],
        // The echoes, in the order the CASE names them.
        ...[echo.key, echo.key, echo.orderUid, echo.orderUid, echo.orderUid],
        ...[echo.orderUid, echo.orderUid, echo.key, echo.key, echo.orderUid],
        ...[orderId, requestKey, requestKey, priceCents],
      )
    );
    if (!paid) {
      const row = /** @type {import('../rows.js').OrderRow | undefined} */ (sql.get.get(payment.orderId));
      return { row: row ?? null };
    }
    // Several statements, yet no savepoint: OR IGNORE leaves them nothing to fail on but I/O,
    // and an I/O error rolls back the whole group.
    if (payment.fields) sql.insertNotification.run(orderId, paidAt, JSON.stringify(payment.fields));
    if (sinks.length > 0) {
      sql.insertPaidEvent.run(Math.floor(paidAt / 1000), String(livemode), paidAt, orderId);
      deliverToSinks(`evt_paid_${orderId}`, paidAt);
    }
    return { late: paid.late === 1, echoMismatch: paid.echo_mismatch };
  },
  markFailed: ({ orderId, code, at }) => sql.markFailed.run({ orderId, code, at }).changes === 1,
  expireDue: ({ now }) => /** @type {string[]} */ (sql.expire.all({ now })),
  recordUnapplied: (record) => {
    const { fingerprint, signedKey, eventId, reason, orderId, price, payNum, code, fields, receivedAt } =
      record;
    const resolvedNote = record.resolvedNote ?? null;
    // A repeat is nothing new; a variant past the cap is counted, not kept or announced.
    if (sql.unappliedKept.get(fingerprint) !== 0) return null;
    if (/** @type {number} */ (sql.variantsKept.get(signedKey)) >= MAX_UNAPPLIED_VARIANTS) {
      sql.countVariant.run(signedKey);
      return null;
    }
    const inserted = sql.insertUnapplied.run({
      fingerprint,
      signedKey,
      eventId,
      reason,
      orderId,
      price,
      payNum,
      code,
      fields,
      receivedAt,
      resolvedAt: resolvedNote === null ? null : receivedAt,
      resolvedNote,
    });
    // A repeat is kept, and announced, once; with nowhere to deliver, nothing is announced.
    if (inserted.changes === 0 || sinks.length === 0) return null;
    const id = eventId;
    const body = unappliedEventBody(id, record, livemode);
    sql.insertEvent.run({
      id,
      type: 'notification.unapplied',
      orderId: record.orderId,
      body,
      at: record.receivedAt,
    });
    deliverToSinks(id, record.receivedAt);
    return null;
  },
  recordNotification: ({ orderId, notification }) => {
    const { receivedAt, fields } = notification;
    sql.insertRepeat.run({ orderId, receivedAt, fields: JSON.stringify(fields) });
    return null;
  },
  recordRejected: ({ record, keep }) => {
    const { receivedAt, clientAddress, contentType, reason, detail, fields, excerpt } = record;
    const { lastInsertRowid } = sql.insertRejected.run({
      receivedAt,
      clientAddress,
      contentType,
      reason,
      detail,
      fields,
      excerpt,
    });
    sql.trimRejected.run(Number(lastInsertRowid) - keep);
    return null;
  },
  probeWrite: () => {
    sql.probe.run();
    return null;
  },
  createAdminSession: ({ idHash, csrfToken, createdAt, lastSeenAt }) => {
    sql.createAdminSession.run({ idHash, csrfToken, createdAt, lastSeenAt });
    return null;
  },
  touchAdminSession: ({ idHash, at }) => {
    sql.touchAdminSession.run({ idHash, at });
    return null;
  },
  resolveUnapplied: ({ id, at, note }) => sql.resolveUnapplied.run({ id, at, note }).changes === 1,
  recordAdminAction: ({ at, action, session, client, target, note }) => {
    sql.recordAdminAction.run({ at, action, session, client, target, note });
    return null;
  },
  deleteAdminSessions: (which) => {
    if ('idHash' in which) sql.deleteAdminSession.run(which.idHash);
    else sql.deleteIdleAdminSessions.run(which.lastSeenBefore);
    return null;
  },
  recordDelivery: ({ eventId, sink, state, nextAttemptAt, error, deliveredAt, attemptedAt, reply }) => {
    const done = sql.deliveryDone.run({ eventId, sink, state, nextAttemptAt, error, deliveredAt });
    if (done.changes !== 1) return false;
    sql.insertAttempt.run({ eventId, sink, attemptedAt, reply, ok: state === 'delivered' ? 1 : 0 });
    return true;
  },
  redeliver: ({ eventId, sinks: targets, at }) => {
    if (!sql.getEvent.get(eventId)) return false;
    for (const sink of targets) sql.redeliver.run(eventId, sink, at);
    return true;
  },
};

/** @param {unknown} error */
function describe(error) {
  const e = /** @type {{ name?: string, message?: string, errcode?: number }} */ (error ?? {});
  return {
    name: e.name ?? 'Error',
    message: e.message ?? String(error),
    // SQLite's extended result code (1555: a primary key already taken).
    ...(e.errcode !== undefined ? { code: String(e.errcode) } : {}),
  };
}

/** @param {Op} op */
function runOne(op) {
  const run = /** @type {((args: unknown) => unknown) | undefined} */ (OPS[op.kind]);
  if (!run) throw new Error(`unknown store operation ${op.kind}`);
  return run(op.args);
}

// Every op changes at most one statement's worth of rows, and SQLite undoes a failed
// statement by itself, so a failing op needs no savepoint: the rest of the group commits.
/** @param {Op[]} ops */
const runGroup = (ops) =>
  transaction(
    db,
    () =>
      ops.map((op) => {
        try {
          return /** @type {Result} */ ({ id: op.id, ok: true, value: runOne(op) });
        } catch (error) {
          // Some errors (I/O, disk full) make SQLite roll back the whole transaction: then the
          // ops before this one are undone too, and the group must fail as a whole.
          if (!db.isTransaction) throw error;
          return /** @type {Result} */ ({ id: op.id, ok: false, error: describe(error) });
        }
      }),
    'IMMEDIATE',
  );

/** @param {Op[]} ops */
function commit(ops) {
  if (ops.length === 0) return;
  /** @type {Result[]} */
  let results;
  try {
    results = runGroup(ops);
  } catch (error) {
    // The commit itself failed (disk full, I/O error): nothing in the group is durable.
    results = ops.map((op) => ({ id: op.id, ok: false, error: describe(error) }));
  }
  port.postMessage(/** @type {Reply} */ ({ type: 'done', results }));
}

/** @type {Op[]} */
let group = [];
let closing = false;
let flushing = false;

/** Past this many names waiting, they are indexed even while writes wait (a long busy spell). */
const NAMES_WAITING_AT_MOST = 20_000;
/** Orders whose names wait to be indexed, as this thread counts them: when to index, not what. */
let namesWaiting = names.waiting();
let namesScheduled = false;

/** Indexes waiting names a turn at a time, once no write waits (or too many names do). */
function scheduleNames() {
  if (namesScheduled || namesWaiting === 0 || closing) return;
  namesScheduled = true;
  setImmediate(() => {
    namesScheduled = false;
    if (closing) return;
    // A write waits: it goes first, and its commit schedules this again.
    if (flushing && namesWaiting < NAMES_WAITING_AT_MOST) return;
    try {
      const indexed = names.indexSome();
      namesWaiting = indexed < NAMES_PER_TURN ? 0 : Math.max(0, namesWaiting - indexed);
    } catch {
      // Busy past the timeout, or an I/O error: the names stay queued (and found by a search);
      // tried again a little later.
      namesScheduled = true;
      setTimeout(() => {
        namesScheduled = false;
        scheduleNames();
      }, 1_000).unref();
      return;
    }
    scheduleNames();
  });
}

// Everything that arrives while a group commits is delivered together once the thread is free,
// before its next turn (setImmediate): that is the next group. (receiveMessageOnPort would
// take it too, but Deno's workers do not have it.)
port.on('message', (/** @type {Message} */ message) => {
  // A loop, not push(...ops): a burst of writes can exceed the call stack's argument limit.
  if (message.type === 'ops') for (const op of message.ops) group.push(op);
  else if (message.type === 'close') closing = true;
  else return;
  if (flushing) return;
  flushing = true;
  setImmediate(() => {
    flushing = false;
    const ops = group;
    group = [];
    commit(ops);
    scheduleNames();
    if (closing) {
      db.close();
      port.postMessage(/** @type {Reply} */ ({ type: 'closed' }));
    }
  });
});
port.postMessage(/** @type {Reply} */ ({ type: 'ready' }));
// Names a stop left queued.
scheduleNames();
