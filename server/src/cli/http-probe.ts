import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { LookupFunction } from 'node:net';

/** What an address answered. */
export interface ProbeAnswer {
  readonly status: number;
  /** The `Date` header, as a time, when there was one. */
  readonly date: number | undefined;
  /** The start of the body. */
  readonly body: string;
}

/** Options for {@link probe}. */
export interface ProbeOptions {
  readonly method?: 'GET' | 'POST';
  readonly body?: string;
  readonly headers?: Readonly<Record<string, string>>;
  /** Host names to connect to at another address (`--resolve`, as curl has it). */
  readonly resolve?: ReadonlyMap<string, string>;
  readonly timeoutMs?: number;
}

/** Why a probe got no answer, in words that say what to check. */
export class ProbeError extends Error {
  override readonly name = 'ProbeError';
  /** The answer never came because of the certificate (the rest is the network). */
  readonly certificate: boolean;

  constructor(message: string, certificate = false) {
    super(message);
    this.certificate = certificate;
  }
}

// node:https trusts Node's CA list plus NODE_EXTRA_CA_CERTS, as the server's own requests do.
const TLS_WORDS: Readonly<Record<string, string>> = {
  DEPTH_ZERO_SELF_SIGNED_CERT: 'its certificate is self-signed and not trusted here',
  SELF_SIGNED_CERT_IN_CHAIN: 'its certificate chain ends in a certificate not trusted here',
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: 'its certificate is not signed by an authority trusted here',
  UNABLE_TO_GET_ISSUER_CERT_LOCALLY: 'its certificate is not signed by an authority trusted here',
  CERT_HAS_EXPIRED: 'its certificate has expired',
  ERR_TLS_CERT_ALTNAME_INVALID: 'its certificate is for another name',
  EPROTO: 'it does not speak TLS on that port',
  ERR_SSL_WRONG_VERSION_NUMBER: 'it does not speak TLS on that port',
};

function words(error: NodeJS.ErrnoException): string {
  const code = error.code ?? '';
  if (TLS_WORDS[code]) return TLS_WORDS[code];
  if (code === 'ECONNREFUSED') return 'nothing listens there';
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return 'the name does not resolve';
  if (code === 'ECONNRESET') return 'the connection was reset';
  if (code === 'EHOSTUNREACH' || code === 'ENETUNREACH') return 'the host cannot be reached';
  return error.message;
}

/** Requests `url` once and answers its status, `Date` and the start of its body; never follows redirects. */
export function probe(url: string, options: ProbeOptions = {}): Promise<ProbeAnswer> {
  const target = new URL(url);
  const resolved = options.resolve?.get(target.hostname);
  const lookup: LookupFunction | undefined =
    resolved === undefined
      ? undefined
      : (_host, lookupOptions, callback) => {
          const family = resolved.includes(':') ? 6 : 4;
          if ((lookupOptions as { all?: boolean }).all) callback(null, [{ address: resolved, family }]);
          else callback(null, resolved, family);
        };
  const send = target.protocol === 'https:' ? httpsRequest : httpRequest;
  const timeoutMs = options.timeoutMs ?? 5_000;
  return new Promise((resolve, reject) => {
    const req = send(target, {
      method: options.method ?? 'GET',
      headers: { 'user-agent': 'igepay-doctor', ...options.headers },
      ...(lookup && { lookup }),
      timeout: timeoutMs,
    });
    req.on('timeout', () => req.destroy(Object.assign(new Error('timeout'), { code: 'ETIMEDOUT' })));
    req.on('error', (error: NodeJS.ErrnoException) => {
      const timedOut = error.code === 'ETIMEDOUT';
      // Certificate codes are OpenSSL's (no E prefix), or Node's name check.
      const certificate =
        error.code !== undefined &&
        error.code in TLS_WORDS &&
        (!error.code.startsWith('E') || error.code === 'ERR_TLS_CERT_ALTNAME_INVALID');
      reject(new ProbeError(timedOut ? `no answer within ${timeoutMs / 1000} s` : words(error), certificate));
    });
    req.on('response', (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        if (body.length < 4096) body += chunk;
      });
      res.on('end', () => {
        const date = res.headers.date === undefined ? Number.NaN : Date.parse(res.headers.date);
        resolve({ status: res.statusCode ?? 0, date: Number.isNaN(date) ? undefined : date, body });
      });
      res.on('error', (error) => reject(new ProbeError(error.message)));
    });
    req.end(options.body);
  });
}
