/**
 * The floor's writer thread (`floor-writer.ts`): every write waiting, one IMMEDIATE
 * transaction, one fsynced commit, one reply.
 */
import { randomUUID } from 'node:crypto';
import { DatabaseSync } from 'node:sqlite';
import { parentPort, workerData } from 'node:worker_threads';

const port = parentPort;
if (!port) throw new Error('floor-worker.js runs as a worker thread');
const db = new DatabaseSync(workerData as string);
db.exec('PRAGMA busy_timeout = 5000');
db.exec('PRAGMA journal_mode = WAL');
db.exec('PRAGMA synchronous = FULL');
db.exec('PRAGMA cache_size = -8192');
// The store's own columns, so the row carries the table's indexes and constraints.
const insert = db.prepare(`
  INSERT INTO orders (order_id, client_secret_hash, status, price_cents, channel, product, order_name,
    order_uid, request_key, created_at, expires_at, updated_at, return_to)
  VALUES (?, ?, 'pending', 1250, 'alipay', NULL, NULL, NULL, ?, ?, ?, ?, NULL)`);
const pay = db.prepare(`
  UPDATE orders SET status = 'paid', paid_at = ?, updated_at = ? WHERE order_id = ? AND status = 'pending'`);
const HASH = '0'.repeat(64);

let group: Array<[number, 'insert' | 'pay', string | null]> = [];
let scheduled = false;
port.on('message', (writes: typeof group) => {
  for (const write of writes) group.push(write);
  if (scheduled) return;
  scheduled = true;
  // What arrives while a group commits is the next group.
  setImmediate(() => {
    scheduled = false;
    const writes = group;
    group = [];
    const now = Date.now();
    db.exec('BEGIN IMMEDIATE');
    const results = writes.map(([id, kind, orderId]): [number, string | number] => {
      if (kind === 'pay') return [id, Number(pay.run(now, now, orderId ?? '').changes)];
      // Time first, as the store's ids are: new rows append to the primary key's last page.
      const newId = `${new Date(now).toISOString().replace(/\D/g, '').slice(0, 17)}${randomUUID().replaceAll('-', '')}`;
      insert.run(newId, HASH, newId, now, now + 7_200_000, now);
      return [id, newId];
    });
    db.exec('COMMIT');
    port.postMessage(results);
  });
});
port.postMessage('ready');
