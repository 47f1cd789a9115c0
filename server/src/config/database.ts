/** Where orders are stored: `DATABASE_URL`, read. */
import { resolve } from 'node:path';
import { ConfigError } from './env.js';
import { Secret } from './secret.js';

/** Where orders are stored, from `DATABASE_URL`. */
export type DatabaseConfig =
  | { readonly engine: 'sqlite'; readonly path: string }
  | {
      readonly engine: 'postgres';
      /** The whole URL, password included: kept out of logs like the token. */
      readonly url: Secret;
      /** The database's password alone, scrubbed from log lines wherever it appears. */
      readonly password: Secret | undefined;
      /** Pooled connections per instance (`DATABASE_POOL_SIZE`). */
      readonly poolSize: number;
    };

/** Where a live server keeps orders unless `DATABASE_URL` says otherwise. */
export const LIVE_DATABASE_URL = 'sqlite:./data/igepay.db';
/** Where the sandbox keeps its simulated orders unless `DATABASE_URL` says otherwise. */
export const SANDBOX_DATABASE_URL = 'sqlite:./data/sandbox.db';

/** Reads `DATABASE_URL` (`sqlite:PATH` or `postgres://...`) and `DATABASE_POOL_SIZE`. */
export function parseDatabaseUrl(url: string, poolSize = 10): DatabaseConfig {
  if (url.startsWith('sqlite:')) {
    const path = url.slice('sqlite:'.length);
    if (path === '') throw new ConfigError('DATABASE_URL', 'must name a file, e.g. sqlite:./data/igepay.db');
    return { engine: 'sqlite', path: resolve(path) };
  }
  if (/^postgres(ql)?:\/\//.test(url)) {
    let parsed: URL;
    try {
      parsed = new URL(url);
    } catch {
      // The message never repeats the URL: it may hold a password.
      throw new ConfigError(
        'DATABASE_URL',
        'is not a valid URL; expected postgres://user:password@host:5432/database',
      );
    }
    if (parsed.hostname === '' && !parsed.searchParams.has('host')) {
      throw new ConfigError(
        'DATABASE_URL',
        'must name a host, e.g. postgres://user:password@host:5432/database',
      );
    }
    let password = '';
    try {
      password = parsed.password ? decodeURIComponent(parsed.password) : '';
    } catch {
      throw new ConfigError(
        'DATABASE_URL',
        'has a password that is not percent-encoded: write % as %25, @ as %40, : as %3A and / as %2F',
      );
    }
    return {
      engine: 'postgres',
      url: new Secret(url),
      password: password ? new Secret(password) : undefined,
      poolSize,
    };
  }
  throw new ConfigError(
    'DATABASE_URL',
    'must be sqlite:PATH (e.g. sqlite:./data/igepay.db) or postgres://user:password@host:5432/database',
  );
}
