import { writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { type AddressInfo, connect, type Socket } from 'node:net';
import { join } from 'node:path';
import type { CheckoutResponse } from '@igepay/shared';
import { afterEach, describe, expect, it } from 'vitest';
import {
  defaultMaxConnections,
  fileDescriptorLimit,
  RESERVED_DESCRIPTORS,
} from '../../src/config/connections.js';
import { notificationFor, startTestServer, TOKEN, tempDir } from '../support/harness.js';
import { ENTRY, listeningAt, runEntry, type ServerProcess } from '../support/process.js';

describe('fileDescriptorLimit and defaultMaxConnections', () => {
  it('reads the soft limit of /proc/self/limits and leaves room for the rest of the server', () => {
    const dir = tempDir();
    try {
      const file = join(dir.dir, 'limits');
      writeFileSync(
        file,
        'Limit                     Soft Limit           Hard Limit           Units\nMax open files            1024                 524288               files\n',
      );
      expect(fileDescriptorLimit(file)).toBe(1024);
      writeFileSync(file, 'Max open files            unlimited            unlimited            files\n');
      expect(fileDescriptorLimit(file)).toBe(Number.POSITIVE_INFINITY);
      expect(fileDescriptorLimit(join(dir.dir, 'missing'))).toBeUndefined();
    } finally {
      dir.cleanup();
    }
    expect(defaultMaxConnections(1024)).toBe(1024 - RESERVED_DESCRIPTORS);
    expect(defaultMaxConnections(Number.POSITIVE_INFINITY)).toBe(16_384);
    expect(defaultMaxConnections(100)).toBe(64);
    // This very process: a number, on Linux.
    expect(fileDescriptorLimit()).toBeGreaterThan(0);
  });
});

interface Reply {
  readonly status: number;
  readonly body: string;
}

/** One request on a connection of its own from `from`. */
function send(
  port: number,
  path: string,
  from: string,
  method = 'GET',
  body?: string,
  type?: string,
): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: '127.0.0.1',
        port,
        path,
        method,
        localAddress: from,
        agent: false,
        headers: type ? { 'content-type': type } : {},
      },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk) => {
          text += chunk;
        });
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

let server: ServerProcess | undefined;
const sockets: Socket[] = [];
afterEach(async () => {
  for (const socket of sockets.splice(0)) socket.destroy();
  if (server && server.child.exitCode === null) {
    const exited = new Promise((resolve) => server?.child.once('exit', resolve));
    server.child.kill('SIGTERM');
    await exited;
  }
  server = undefined;
});

describe('IGEPAY_MAX_CONNECTIONS_PER_CLIENT', () => {
  it('closes connections one address holds past the cap; other addresses, and trusted proxies, are not held to it', async () => {
    const test = await startTestServer({
      env: { IGEPAY_MAX_CONNECTIONS_PER_CLIENT: '5', IGEPAY_TRUST_PROXY: '127.0.0.9' },
    });
    try {
      await test.app.listen({ host: '127.0.0.1', port: 0 });
      const port = (test.app.server.address() as AddressInfo).port;
      const open = (from: string) =>
        new Promise<{ socket: Socket; closed: () => boolean }>((resolve) => {
          const socket = connect({ host: '127.0.0.1', port, localAddress: from });
          sockets.push(socket);
          let closed = false;
          socket.on('error', () => {});
          socket.on('close', () => {
            closed = true;
          });
          socket.once('connect', () => resolve({ socket, closed: () => closed }));
        });
      const fromOne: Array<{ socket: Socket; closed: () => boolean }> = [];
      for (let i = 0; i < 6; i++) fromOne.push(await open('127.0.0.2'));
      await expect
        .poll(() => fromOne.map((each) => each.closed()))
        .toEqual([false, false, false, false, false, true]);
      const proxy: Array<{ socket: Socket; closed: () => boolean }> = [];
      for (let i = 0; i < 8; i++) proxy.push(await open('127.0.0.9'));
      // Another buyer is served.
      const reply = await send(port, '/healthz', '127.0.0.3');
      expect(reply.status).toBe(200);
      expect(proxy.every((each) => !each.closed())).toBe(true);
    } finally {
      for (const socket of sockets.splice(0)) socket.destroy();
      await test.close();
    }
  });
});

describe('a server with 1,024 file descriptors', () => {
  it('answers checkouts and notifications through 3,000 idle sockets and 200 long polls on one order', async () => {
    // The sockets below are this process's too.
    expect(fileDescriptorLimit() ?? 0, 'this test needs ulimit -n of 4096 or more').toBeGreaterThanOrEqual(
      4096,
    );
    const dir = tempDir();
    server = runEntry(
      {
        IGEPAY_UID: '10001',
        IGEPAY_TOKEN: TOKEN,
        HOST: '127.0.0.1',
        PORT: '0',
        DATABASE_URL: `sqlite:${join(dir.dir, 'igepay.db')}`,
        IGEPAY_RATE_LIMIT: '0',
      },
      ENTRY.main,
      { fileLimit: 1024 },
    );
    const base = await listeningAt(server);
    const port = Number(new URL(base).port);
    const checkout = () =>
      send(
        port,
        '/api/checkout',
        '127.0.0.1',
        'POST',
        JSON.stringify({ channel: 'alipay', price: '1.00', order_name: 'test' }),
        'application/json',
      );
    const first = await checkout();
    expect(first.status).toBe(201);
    const order = JSON.parse(first.body) as CheckoutResponse;
    const statusPath = `/api/orders/${order.order_id}?client_secret=${encodeURIComponent(order.client_secret)}`;

    // 3,000 sockets that never send a byte, 100 from each of 30 addresses (the per-client cap),
    // 50 at a time: a burst past the listen backlog leaves the kernel holding handshakes the server
    // never sees (how many depends on the machine), and this test is about what the server does.
    let closedByServer = 0;
    const openIdle = (i: number) => {
      const socket = connect({
        host: '127.0.0.1',
        port,
        localAddress: `127.0.${1 + Math.floor(i / 100)}.1`,
      });
      sockets.push(socket);
      socket.on('error', () => {});
      socket.on('close', () => {
        closedByServer += 1;
      });
      return new Promise<void>((resolve) => {
        socket.once('connect', () => resolve());
        socket.once('close', () => resolve());
      });
    };
    for (let batch = 0; batch < 3000; batch += 50) {
      await Promise.all(Array.from({ length: 50 }, (_, i) => openIdle(batch + i)));
    }
    // 200 long polls on the one order, two per address: a few are held, the rest answered at once.
    const polls = Array.from({ length: 200 }, (_, i) =>
      send(port, `${statusPath}&wait=20`, `127.0.${40 + Math.floor(i / 2)}.1`),
    );
    const answeredAtOnce = await Promise.race([
      Promise.allSettled(polls.slice(8)),
      new Promise<never>((_, reject) => setTimeout(() => reject(new Error('long polls held')), 10_000)),
    ]);
    for (const poll of answeredAtOnce) {
      expect(poll.status).toBe('fulfilled');
      if (poll.status === 'fulfilled')
        expect(JSON.parse(poll.value.body)).toMatchObject({ status: 'pending' });
    }

    // Buyers and igepay still get through.
    for (let i = 0; i < 5; i++) expect((await checkout()).status).toBe(201);
    const notified = await send(
      port,
      '/api/igepay/notify',
      '127.0.0.1',
      'POST',
      new URLSearchParams(notificationFor(order)).toString(),
      'application/x-www-form-urlencoded',
    );
    expect(notified).toMatchObject({ status: 200, body: 'success' });
    // The held polls hear of it.
    for (const held of await Promise.all(polls.slice(0, 8))) {
      expect(JSON.parse(held.body)).toMatchObject({ status: 'paid' });
    }
    // The idle sockets made room: the server closed all but the newest (768, and 32 of headroom),
    // well before their 10 s header timeout.
    await expect.poll(() => closedByServer, { timeout: 7000 }).toBeGreaterThanOrEqual(3000 - 800);
    expect(server.child.exitCode).toBeNull();
    expect(server.output()).not.toMatch(/EMFILE/);
    dir.cleanup();
  }, 60_000);
});
