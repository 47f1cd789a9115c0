import type { IncomingMessage } from 'node:http';
import proxyAddr from '@fastify/proxy-addr';
import type { TrustProxy } from '../config/trust-proxy.js';

/** Trusts the `hop`-th address from the socket inward (0 is the peer itself), as proxy-addr asks. */
export type TrustFunction = (address: string, hop: number) => boolean;

/** The trust test Fastify applies to `X-Forwarded-For` for `setting`; nobody is trusted without one. */
export function trustFunction(setting: TrustProxy | undefined): TrustFunction {
  if (setting === undefined) return () => false;
  if (typeof setting === 'number') return (_address, hop) => hop < setting;
  return proxyAddr.compile([...setting]);
}

/** The client address of `request` as Fastify's `request.ip` gives it, for code that runs before Fastify's request exists. */
export function clientAddress(request: IncomingMessage, trust: TrustFunction): string {
  return proxyAddr(request, trust);
}

/** The headers a reverse proxy adds to say who the client is. */
const FORWARDING_HEADERS = ['x-forwarded-for', 'forwarded', 'x-real-ip'] as const;

/**
 * Whether `request` came through a proxy this server does not trust: it carries a forwarding
 * header from a peer `trust` does not name. Every buyer behind such a proxy is the proxy's one
 * address to the server: one rate-limit bucket, one connection count.
 */
export function forwardedByUntrustedPeer(request: IncomingMessage, trust: TrustFunction): boolean {
  if (!FORWARDING_HEADERS.some((name) => request.headers[name] !== undefined)) return false;
  return !trust(request.socket.remoteAddress ?? '', 0);
}
