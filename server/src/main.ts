#!/usr/bin/env node
import closeWithGrace from 'close-with-grace';
import { buildApp } from './app.js';
import { ConfigError, loadConfig } from './config.js';

/**
 * Runs the signing server: settings from the environment, listening on HOST:PORT, closing
 * cleanly (held long polls answered, pending writes committed) on SIGTERM or SIGINT.
 */
export async function main(env: Record<string, string | undefined> = process.env): Promise<void> {
  let config: ReturnType<typeof loadConfig>;
  try {
    config = loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`igepay: ${error.message}\n`);
      process.exit(1);
    }
    throw error;
  }

  const app = await buildApp({ config, logger: { level: config.logLevel } });
  closeWithGrace({ delay: 10_000 }, async ({ signal, err }) => {
    if (err) app.log.error({ err }, 'shutting down after an unexpected error');
    else app.log.info({ signal }, 'shutting down');
    await app.close();
  });
  await app.listen({ port: config.port, host: config.host });
  app.log.info(
    { public_url: config.publicUrl, database: config.database.engine },
    'igepay signing server ready',
  );
}

await main();
