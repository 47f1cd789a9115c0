import type { TestProject } from 'vitest/node';
import { startPostgresCluster } from './postgres-cluster.js';

declare module 'vitest' {
  interface ProvidedContext {
    /** A PostgreSQL server for the store contract and multi-instance tests (a superuser URL). */
    postgresUrl: string;
  }
}

/**
 * A PostgreSQL server for the run: `IGEPAY_TEST_DATABASE_URL` if set; otherwise a throwaway
 * cluster of Debian's `postgresql` package on a free loopback port, removed afterwards.
 */
export default async function setup(project: TestProject): Promise<(() => Promise<void>) | undefined> {
  const given = process.env.IGEPAY_TEST_DATABASE_URL;
  if (given) {
    project.provide('postgresUrl', given);
    return undefined;
  }
  const cluster = await startPostgresCluster();
  project.provide('postgresUrl', cluster.url);
  return cluster.stop;
}
