import { IgepayError } from '@igepay/shared';

/** One step of a schema; steps run in order, each once. Append new steps; never edit one that has shipped. */
export interface Migration {
  readonly version: number;
  readonly name: string;
  readonly sql: string;
}

/**
 * The steps of `migrations` a database at version `current` has not run yet. A database
 * newer than every step is refused (`IGEPAY_ERR_SCHEMA_TOO_NEW`): this server would
 * misread it.
 */
export function pendingMigrations(current: number, migrations: readonly Migration[]): Migration[] {
  const latest = migrations.at(-1)?.version ?? 0;
  if (current > latest) {
    throw new IgepayError('IGEPAY_ERR_SCHEMA_TOO_NEW', {
      msg: `the database is at schema version ${current}, newer than this server knows (${latest}); upgrade the server`,
    });
  }
  return migrations.filter((migration) => migration.version > current);
}
