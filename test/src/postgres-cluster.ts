import { execFile } from 'node:child_process';
import { chmodSync, chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';
import { freePort } from './free-port.js';

const run = promisify(execFile);

/** The folder of Debian's PostgreSQL programs (`/usr/lib/postgresql/<major>/bin`), newest first. */
function postgresBin(): string | undefined {
  const root = '/usr/lib/postgresql';
  if (!existsSync(root)) return undefined;
  const majors = readdirSync(root).sort((a, b) => Number(b) - Number(a));
  return majors.map((major) => join(root, major, 'bin')).find((bin) => existsSync(join(bin, 'initdb')));
}

/**
 * Starts a throwaway cluster of Debian's `postgresql` package on a free loopback port, in a
 * temporary folder; `stop` removes it. PostgreSQL refuses to run as root: under root the
 * cluster runs as the package's `postgres` user. The URL is a superuser's.
 */
export async function startPostgresCluster(): Promise<{ url: string; stop: () => Promise<void> }> {
  const bin = postgresBin();
  if (!bin) {
    throw new Error(
      'A PostgreSQL server is needed: install Debian\'s "postgresql" package ' +
        '(apt-get install -y postgresql), or set IGEPAY_TEST_DATABASE_URL=postgres://user:password@host:port/db',
    );
  }
  const dir = mkdtempSync(join(tmpdir(), 'igepay-pg-'));
  const data = join(dir, 'data');
  const asRoot = process.getuid?.() === 0;
  const as = async (program: string, args: string[]) =>
    asRoot
      ? await run('runuser', ['-u', 'postgres', '--', join(bin, program), ...args])
      : await run(join(bin, program), args);
  if (asRoot) {
    const { stdout: uid } = await run('id', ['-u', 'postgres']);
    const { stdout: gid } = await run('id', ['-g', 'postgres']);
    chownSync(dir, Number(uid.trim()), Number(gid.trim()));
    chmodSync(dir, 0o700);
  }
  const port = await freePort();
  await as('initdb', ['-D', data, '-U', 'igepay', '-A', 'trust', '-E', 'UTF8', '--no-locale', '--no-sync']);
  await as('pg_ctl', [
    '-D',
    data,
    '-l',
    join(dir, 'postgres.log'),
    '-w',
    '-o',
    // Durable commits as in production (fsync, synchronous_commit on); the socket stays in
    // the cluster's folder and the server listens on loopback only.
    `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c max_connections=200`,
    'start',
  ]);
  return {
    url: `postgres://igepay@127.0.0.1:${port}/postgres`,
    stop: async () => {
      await as('pg_ctl', ['-D', data, '-m', 'immediate', 'stop']).catch(() => {});
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Runs `sql` statements, in order, as the user of `serverUrl`. */
async function admin(serverUrl: string, ...sql: string[]): Promise<void> {
  const client = new pg.Client({ connectionString: serverUrl });
  await client.connect();
  try {
    for (const statement of sql) await client.query(statement);
  } finally {
    await client.end();
  }
}

/**
 * A new, empty database `name` (bench, crash and soak runs, and tests of their own): on the
 * server of `serverUrl` (a user that may create databases) if given, else on a throwaway
 * cluster. `release` drops the database, or stops the cluster it started.
 */
export async function scratchDatabase(
  name: string,
  serverUrl?: string,
): Promise<{ url: string; release: () => Promise<void> }> {
  const cluster = serverUrl ? undefined : await startPostgresCluster();
  const server = serverUrl ?? cluster?.url ?? '';
  const drop = `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`;
  await admin(server, drop, `CREATE DATABASE ${name}`);
  const url = new URL(server);
  url.pathname = `/${name}`;
  return { url: url.toString(), release: cluster ? cluster.stop : () => admin(server, drop) };
}
