import { BlockList, isIP } from 'node:net';
import type { Config } from './config.js';

// Addresses igepay cannot reach from the internet: loopback, private, link-local, shared
// (carrier-grade NAT) and unique-local ranges.
const PRIVATE = new BlockList();
for (const [network, prefix] of [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.168.0.0', 16],
] as const) {
  PRIVATE.addSubnet(network, prefix, 'ipv4');
}
for (const [network, prefix] of [
  ['::', 127],
  ['fc00::', 7],
  ['fe80::', 10],
] as const) {
  PRIVATE.addSubnet(network, prefix, 'ipv6');
}

/** True for an address (v4 or v6) no one on the internet can reach. */
export function isPrivateAddress(address: string): boolean {
  const bare = address.replace(/^\[|\]$/g, '');
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(bare)?.[1];
  const family = isIP(mapped ?? bare);
  if (family === 0) return false;
  return PRIVATE.check(mapped ?? bare, family === 4 ? 'ipv4' : 'ipv6');
}

/** True when a URL's host is, by its very name, not reachable from the internet. */
export function isLocalHost(hostname: string): boolean {
  const host = hostname.toLowerCase().replace(/\.$/, '');
  return host === 'localhost' || host.endsWith('.localhost') || isPrivateAddress(host);
}

/** True when buyers reach the server or the shop over https (`PUBLIC_URL` or an allowed origin). */
export function servesHttpsPages(config: Config): boolean {
  return [config.publicUrl, ...config.allowedOrigins].some((url) => url.startsWith('https:'));
}

/** One thing about a live configuration a merchant should fix before buyers pay. */
export interface LiveWarning {
  /** The setting to change. */
  readonly setting: 'PUBLIC_URL' | 'IGEPAY_GATEWAY_URL' | 'IGEPAY_MAX_CONNECTIONS';
  /** Whether payments cannot work until it is fixed (igepay cannot reach the server). */
  readonly blocking: boolean;
  readonly message: string;
}

/**
 * What a live configuration gets wrong about the internet (docs/first-live-payment.md): a
 * `PUBLIC_URL` igepay cannot reach or reaches in clear text, and an `http://` gateway behind
 * HTTPS pages, which browsers stop on a "not secure" warning; and a file-descriptor limit
 * low enough that a few hundred idle sockets could fill it. None in sandbox mode.
 */
export function liveWarnings(config: Config): LiveWarning[] {
  if (config.sandbox) return [];
  const warnings: LiveWarning[] = [];
  const publicUrl = new URL(config.publicUrl);
  if (isLocalHost(publicUrl.hostname)) {
    warnings.push({
      setting: 'PUBLIC_URL',
      blocking: true,
      message: `PUBLIC_URL ${config.publicUrl} is a loopback or private address: igepay must reach notify_url from the internet, so set PUBLIC_URL to this server's public https:// address`,
    });
  }
  if (publicUrl.protocol === 'http:') {
    warnings.push({
      setting: 'PUBLIC_URL',
      blocking: false,
      message: `PUBLIC_URL ${config.publicUrl} is http://: notifications and return pages travel in clear text; serve the server over https:// and set PUBLIC_URL to it`,
    });
  }
  if (servesHttpsPages(config) && new URL(config.gatewayUrl).protocol === 'http:') {
    warnings.push({
      setting: 'IGEPAY_GATEWAY_URL',
      blocking: false,
      message: `the gateway ${config.gatewayUrl} is http:// while your pages are https://: browsers stop buyers on a "not secure" warning before igepay; set IGEPAY_GATEWAY_URL to the gateway's https:// address if it has one (igepay doctor checks)`,
    });
  }
  const fds = config.fileDescriptorLimit;
  if (fds !== undefined && fds < LOW_DESCRIPTOR_LIMIT) {
    warnings.push({
      setting: 'IGEPAY_MAX_CONNECTIONS',
      blocking: false,
      message: `this process may open only ${fds} files, so the server holds at most ${config.maxConnections} connections (half of them long polls); raise the limit (ulimit -n 65536, or LimitNOFILE=65536 under systemd)`,
    });
  }
  return warnings;
}

/** Below this many file descriptors, a modest flood of sockets reaches the connection cap. */
const LOW_DESCRIPTOR_LIMIT = 4096;
