import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import autocannon from 'autocannon';
import { seedPendingOrders } from './dist/bench/seed.js';
import { startSigningServer, stopServer } from './dist/bench/servers.js';
const which = process.argv[2];
const entry = which === 'base' ? '/tmp/base/server/dist/bin/serve.js' : undefined;
const dir = mkdtempSync(join(tmpdir(), 'prof-'));
const db = join(dir, 'x.db');
let open;
if (which === 'base') { const { SqliteStore } = await import('/tmp/base/server/dist/index.js'); open = () => SqliteStore.open({ path: db }); }
const { notifications } = await seedPendingOrders(db, 100000, open ? { open } : {});
const server = await startSigningServer(db, join(dir, 'log'), { NODE_OPTIONS: "--import /tmp/prof-preload.mjs", PROF_OUT: `/tmp/prof-${which}.cpuprofile` }, ...(entry ? [entry] : []));
let next = 0;
const r = await autocannon({ url: `${server.url}/api/igepay/notify`, duration: 8, connections: 64, requests: [{ method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, setupRequest: (q) => ({ ...q, body: notifications[next++ % notifications.length] }) }] });
console.log(which, Math.round(r.requests.average), 'req/s', r.non2xx, 'non2xx');
await stopServer(server.child);
