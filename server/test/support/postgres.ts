import { randomBytes } from 'node:crypto';
import pg from 'pg';

/**
 * A new, empty database on the test PostgreSQL server (`adminUrl` may create databases), so
 * tests never see each other's rows. `drop` removes it, cutting any connection left open.
 */
export async function freshDatabase(adminUrl: string): Promise<{ url: string; drop: () => Promise<void> }> {
  const name = `igepay_test_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${name}`);
  } finally {
    await admin.end();
  }
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: async () => {
      const client = new pg.Client({ connectionString: adminUrl });
      await client.connect();
      try {
        await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      } finally {
        await client.end();
      }
    },
  };
}

declare module 'vitest' {
  interface ProvidedContext {
    /** A PostgreSQL server for the store tests (a URL that may create databases): test/src/postgres-setup.ts. */
    postgresUrl: string;
  }
}
