import { buildApp } from '../app.js';
import { type Config, ConfigError, describeError, loadConfig, wantsSandbox } from '../config/config.js';
import { liveWarnings } from '../config/live-warnings.js';
import { bindServer } from '../http/listen.js';
import { discardPrewarmedWriter } from '../store/sqlite/writer.js';
import { closeOnSignals } from './graceful.js';

/** The settings of `env`; in sandbox mode the sandbox's, loaded only then. */
async function settingsOf(env: Record<string, string | undefined>): Promise<Config> {
  if (!wantsSandbox(env)) return loadConfig(env);
  const { loadSandboxConfig } = await import('../sandbox/mode.js');
  return loadSandboxConfig(env);
}

/**
 * Runs the signing server from `env`: settings parsed once (a bad one stops start-up with one
 * line), listening on HOST:PORT, closing cleanly (held long polls answered, pending writes
 * committed) on SIGTERM or SIGINT.
 */
export async function runServer(env: Record<string, string | undefined>): Promise<void> {
  let config: Config;
  try {
    config = await settingsOf(env);
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`igepay: ${error.message}\n`);
      process.exit(1);
    }
    throw error;
  }

  // PORT=0: bind first so the port the system picks is in PUBLIC_URL and the printed address.
  const bound = config.port === 0 ? await bindServer(config.host, 0).catch(cannotListen(config)) : undefined;
  if (bound) config = await settingsOf({ ...env, PORT: String(bound.port) });

  let app: Awaited<ReturnType<typeof buildApp>>;
  try {
    app = await buildApp({
      config,
      logger: { level: config.logLevel },
      ...(bound && { server: bound.server }),
    });
  } catch (error) {
    // Most often the database: unreachable, refused, or written by a newer version. One line,
    // with every secret taken out (a driver may repeat the URL it was given).
    process.stderr.write(`igepay: cannot start: ${describeError(error, config)}\n`);
    process.exit(1);
  }
  closeOnSignals(10_000, async ({ signal, err }) => {
    if (err) app.log.error({ err }, 'shutting down after an unexpected error');
    else app.log.info({ signal }, 'shutting down');
    try {
      await app.close();
    } catch (error) {
      app.log.error({ err: error }, 'closing failed');
      throw error;
    }
  });
  if (bound) {
    await app.ready();
    app.log.info(
      `Server listening at http://${config.host.includes(':') ? `[${config.host}]` : config.host}:${bound.port}`,
    );
  } else {
    await app.listen({ port: config.port, host: config.host }).catch(cannotListen(config));
  }
  // A writer thread started for an embedded store that this configuration did not open.
  await discardPrewarmedWriter();
  app.log.info(
    { public_url: config.publicUrl, database: config.database.engine, sandbox: config.sandbox !== undefined },
    'igepay signing server ready',
  );
  if (!config.openAmounts) {
    app.log.info(
      { event: 'config.open-amounts', open_amounts: false },
      'open amounts are off: only catalog products can be bought (IGEPAY_OPEN_AMOUNTS=1 takes any price within the bounds)',
    );
  }
  for (const warning of liveWarnings(config)) {
    app.log.warn({ event: 'config.warning', setting: warning.setting }, warning.message);
  }
  const dashboard = config.admin ? `${config.publicUrl}/admin/` : undefined;
  if (config.sandbox) process.stdout.write(config.sandbox.banner(config.publicUrl, dashboard));
  // A person at a terminal gets where things are in words; the JSON log lines stay on stdout.
  else if (process.stderr.isTTY) process.stderr.write(liveBanner(config, dashboard));
}

/** Where a live server is, for a person at a terminal. */
function liveBanner(config: Config, dashboard: string | undefined): string {
  const database =
    config.database.engine === 'sqlite' ? `SQLite ${config.database.path}` : 'PostgreSQL (DATABASE_URL)';
  return `
  igepay signing server is running (live: real payments, merchant ${config.uid}).

    Public URL  ${config.publicUrl}
    Dashboard   ${dashboard ?? 'off (set IGEPAY_ADMIN_PASSWORD_HASH: igepay admin hash-password)'}
    Database    ${database}
    Check       igepay doctor

`;
}

/** A port that cannot be listened on, in one line (not a stack trace): taken, or privileged. */
function cannotListen(config: Config) {
  return (error: NodeJS.ErrnoException): never => {
    const where = `${config.host}:${config.port}`;
    const why =
      error.code === 'EADDRINUSE'
        ? `${where} is in use (another igepay, or another program): stop it, or set PORT`
        : error.code === 'EACCES'
          ? `${where} needs privileges this process lacks: use a port above 1023 behind a proxy, or set PORT`
          : error.code === 'EADDRNOTAVAIL'
            ? `HOST=${config.host} is not an address of this machine`
            : error.message;
    process.stderr.write(`igepay: cannot listen: ${why}\n`);
    process.exit(1);
  };
}
