/**
 * The benchmarks' baseline: a bare Fastify process whose POST routes parse the same bodies
 * (JSON or form) as the signing server's and answer fixed replies. It imports nothing of
 * igepay's, so its start-up and memory are Fastify's own.
 * `node bare.js PORT`.
 */
import formbody from '@fastify/formbody';
import Fastify from 'fastify';

const app = Fastify({ logger: false });
await app.register(formbody);
app.post('/bare/json', async () => ({
  ok: true,
  order_id: '20261126000000000000000000000000',
  status: 'pending',
}));
app.post('/bare/form', async () => ({ ok: true, status: 'paid' }));
await app.listen({ port: Number(process.argv[2] ?? 0), host: '127.0.0.1' });
process.on('SIGTERM', () => {
  void app.close().then(() => process.exit(0));
});
