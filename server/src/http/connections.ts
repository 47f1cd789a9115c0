import type { Server } from 'node:http';
import type { Socket } from 'node:net';
import { normalizeIP } from '@fastify/rate-limit';
import type { TrustFunction } from './proxy.js';

/** A request's headers must arrive within this, or its socket is closed. */
export const HEADERS_TIMEOUT_MS = 10_000;
/** A request's body must arrive within this (a long poll's reply may take longer: that is not the request). */
export const REQUEST_TIMEOUT_MS = 15_000;
/** How often sockets are checked against those timeouts. */
export const CONNECTIONS_CHECK_MS = 1_000;
/** Idle keep-alive sockets are closed after this: longer than a browser's gap between two polls. */
export const KEEP_ALIVE_MS = 35_000;

/** What {@link guardConnections} enforces. */
export interface ConnectionLimits {
  /** Open connections in all; past it, the oldest idle one makes room for each new one. */
  readonly maxConnections: number;
  /** Open connections from one client address (an IPv6 client's /64); trusted proxies are exempt. */
  readonly perClient: number;
  /** Whether a peer is a proxy this server trusts (its connections carry many buyers). */
  readonly trust: TrustFunction;
}

/** What {@link guardConnections} has done, for metrics. */
export interface ConnectionCounts {
  /** Connections open now. */
  readonly open: number;
  /** Connections closed because their client held too many. */
  readonly refusedPerClient: number;
  /** Idle connections closed to make room for new ones. */
  readonly evicted: number;
}

/**
 * Bounds what open sockets can take from a server, so igepay's notifications and buyers'
 * checkouts always find a connection. Slow or silent sockets are closed after
 * {@link HEADERS_TIMEOUT_MS}; one client holds at most `perClient`. At `maxConnections` (below
 * the descriptor limit, so accepting never fails with EMFILE) each new connection closes the
 * oldest one that is not in a request: a socket that never sent one, or a keep-alive between
 * two. Requests in progress (long polls included, which the order route caps at half) are
 * never cut; a flood of idle sockets only ever displaces itself.
 */
export function guardConnections(server: Server, limits: ConnectionLimits): () => ConnectionCounts {
  server.headersTimeout = HEADERS_TIMEOUT_MS;
  server.requestTimeout = REQUEST_TIMEOUT_MS;
  server.keepAliveTimeout = KEEP_ALIVE_MS;
  // The hard stop, should eviction fall behind: the system drops what is past it.
  server.maxConnections = limits.maxConnections + EVICTION_HEADROOM;
  const byClient = new Map<string, number>();
  // Every open socket, oldest first (a Set keeps insertion order).
  const sockets = new Set<Socket>();
  let open = 0;
  let refusedPerClient = 0;
  let evicted = 0;
  server.on('connection', (socket: Socket) => {
    const address = socket.remoteAddress ?? '';
    const key = limits.trust(address, 0) ? undefined : normalizeIP(address);
    if (key !== undefined) {
      const count = byClient.get(key) ?? 0;
      if (count >= limits.perClient) {
        refusedPerClient += 1;
        socket.destroy();
        return;
      }
      byClient.set(key, count + 1);
    }
    open += 1;
    sockets.add(socket);
    socket.once('close', () => {
      open -= 1;
      sockets.delete(socket);
      if (key === undefined) return;
      const count = (byClient.get(key) ?? 1) - 1;
      if (count === 0) byClient.delete(key);
      else byClient.set(key, count);
    });
    if (open > limits.maxConnections) {
      // Long polls (at most half the connections) are the busy ones: look past them all.
      const oldest = oldestIdle(sockets, socket, Math.ceil(limits.maxConnections / 2) + 64);
      if (oldest) {
        evicted += 1;
        oldest.destroy();
      }
    }
  });
  return () => ({ open, refusedPerClient, evicted });
}

/**
 * The oldest socket not in a request among the `scan` oldest, other than `except`. Node's http server marks a socket
 * that has a response in progress with `_httpMessage`, as its own `closeIdleConnections` reads
 * it: a socket without one (or whose response is finished) is idle. Read at eviction only, so
 * requests pay nothing for it.
 */
function oldestIdle(sockets: ReadonlySet<Socket>, except: Socket, scan: number): Socket | undefined {
  let looked = 0;
  for (const socket of sockets) {
    if (looked++ >= scan) return undefined;
    if (socket === except) continue;
    const response = (socket as Socket & { _httpMessage?: { writableEnded?: boolean } | null })._httpMessage;
    if (!response || response.writableEnded) return socket;
  }
  return undefined;
}

/** Connections past `maxConnections` the system still accepts, so there is one to evict for. */
const EVICTION_HEADROOM = 32;
