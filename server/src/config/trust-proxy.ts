import proxyAddr from '@fastify/proxy-addr';

/**
 * Which reverse proxies are believed when they say who the client is (`IGEPAY_TRUST_PROXY`):
 * a number of hops, or the proxies' addresses and CIDRs (proxy-addr's names `loopback`,
 * `linklocal` and `uniquelocal` included). The same values Fastify's `trustProxy` takes, less
 * `true`: trusting every sender lets any client pick its own address.
 */
export type TrustProxy = number | readonly string[];

/**
 * Reads `IGEPAY_TRUST_PROXY`. Throws a `TypeError` or `RangeError` with the reason when it
 * is neither a hop count nor a list of addresses.
 */
export function parseTrustProxy(value: string): TrustProxy {
  const text = value.trim();
  if (/^\d+$/.test(text)) {
    const hops = Number(text);
    if (hops < 1 || hops > 16) throw new RangeError('must be a hop count between 1 and 16');
    return hops;
  }
  if (/^(true|yes|on|\*)$/i.test(text)) {
    throw new TypeError(
      'must name the proxies (e.g. 127.0.0.1 or 10.0.0.0/8) or count them, not trust every sender',
    );
  }
  const list = text
    .split(',')
    .map((item) => item.trim())
    .filter((item) => item !== '');
  if (list.length === 0) throw new TypeError('names no proxy');
  try {
    proxyAddr.compile(list);
  } catch (error) {
    // proxy-addr names the entry it cannot read ("invalid IP address: …").
    throw new TypeError(`cannot be read (${error instanceof Error ? error.message : String(error)})`);
  }
  return list;
}
