/** The database a command reads: the one the server uses, opened only if it is there. */
import { existsSync } from 'node:fs';
import { relative } from 'node:path';
import {
  ConfigError,
  LIVE_DATABASE_URL,
  parseDatabaseUrl,
  SANDBOX_DATABASE_URL,
  wantsSandbox,
} from '../config/config.js';
import { openStore as openEngine } from '../store/open-store.js';
import type { OrderStore } from '../store/order-store.js';
import { UsageError } from './usage-error.js';

/**
 * Opens the store that `DATABASE_URL` names (by default the server's: `sqlite:./data/igepay.db`,
 * or `sqlite:./data/sandbox.db` with `IGEPAY_SANDBOX=1`), whichever mode made it.
 */
export async function openStore(env: NodeJS.ProcessEnv): Promise<OrderStore> {
  const database = databaseOf(env);
  // A command reads a database the server made: one that is not there is not made empty (which
  // then answered "No orders." for ever), it is named, with the other mode's if that one is.
  if (database.engine === 'sqlite' && !existsSync(database.path)) {
    const other = parseDatabaseUrl(wantsSandbox(env) ? LIVE_DATABASE_URL : SANDBOX_DATABASE_URL);
    const hint =
      !env.DATABASE_URL && other.engine === 'sqlite' && existsSync(other.path)
        ? wantsSandbox(env)
          ? ` The live server's is ${shown(other.path)}: run without IGEPAY_SANDBOX=1.`
          : ` The sandbox's is ${shown(other.path)}: IGEPAY_SANDBOX=1 igepay …`
        : ' Set DATABASE_URL to the one the server uses.';
    throw new UsageError(`No database at ${shown(database.path)}.${hint}`);
  }
  return openEngine(database);
}

/** Which database a command read, for a person: the SQLite file, relative when it is here. */
export function databaseName(env: NodeJS.ProcessEnv): string {
  const database = databaseOf(env);
  return database.engine === 'sqlite' ? shown(database.path) : 'PostgreSQL (DATABASE_URL)';
}

function shown(path: string): string {
  const here = relative(process.cwd(), path);
  return here.startsWith('..') ? path : here;
}

/** The database `DATABASE_URL` names, or the server's default for its mode. */
export function databaseOf(env: NodeJS.ProcessEnv) {
  const fallback = wantsSandbox(env) ? SANDBOX_DATABASE_URL : LIVE_DATABASE_URL;
  try {
    return parseDatabaseUrl(env.DATABASE_URL || fallback);
  } catch (error) {
    if (error instanceof ConfigError) throw new UsageError(error.message);
    throw error;
  }
}

/** Runs `run` on the store `env` names, and closes it. */
export async function withStore<T>(
  env: NodeJS.ProcessEnv,
  run: (store: OrderStore) => Promise<T>,
): Promise<T> {
  const store = await openStore(env);
  try {
    return await run(store);
  } finally {
    await store.close();
  }
}
