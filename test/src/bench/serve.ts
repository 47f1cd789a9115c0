/**
 * A server for the benchmarks, run as its own process so that the load generator does not
 * share its event loop. `node serve.js bare` starts the baseline (bare Fastify routes that
 * parse the same bodies and answer fixed replies); `node serve.js app DB_PATH` starts the
 * signing server on that SQLite file. Prints `READY <port>` when listening.
 */
import formbody from '@fastify/formbody';
import { buildApp, loadConfig } from '@igepay/server';
import Fastify, { type FastifyInstance } from 'fastify';
import { BENCH_TOKEN } from './token.js';

async function bare(): Promise<FastifyInstance> {
  const app = Fastify({ logger: false });
  await app.register(formbody);
  app.post('/bare/json', async () => ({
    ok: true,
    order_id: '20261126000000000000000000000000',
    status: 'pending',
  }));
  app.post('/bare/form', async () => ({ ok: true, status: 'paid' }));
  return app;
}

async function signingServer(dbPath: string): Promise<FastifyInstance> {
  const config = loadConfig({
    IGEPAY_UID: '10001',
    IGEPAY_TOKEN: BENCH_TOKEN,
    PUBLIC_URL: 'http://shop.example.com',
    DATABASE_URL: `sqlite:${dbPath}`,
    IGEPAY_RATE_LIMIT: '0',
  });
  // Logging stays on exactly as in production, written to /dev/null: its cost is part of the figure.
  return buildApp({ config, logger: { level: 'info', destination: '/dev/null' } });
}

const [kind, dbPath] = process.argv.slice(2);
const app = kind === 'bare' ? await bare() : await signingServer(dbPath ?? '');
await app.listen({ port: 0, host: '127.0.0.1' });
const address = app.server.address();
process.stdout.write(`READY ${typeof address === 'object' && address ? address.port : 0}\n`);
process.on('SIGTERM', () => {
  void app.close().then(() => process.exit(0));
});
