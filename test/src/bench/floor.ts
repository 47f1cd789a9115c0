/**
 * The benchmarks' floor: a bare Fastify process (as `bare.ts`) that does only what a payment
 * cannot do without: each POST writes one row of the real `orders` table of a database the
 * signing server's store made, on a thread of its own, grouped into commits fsynced before
 * the reply (WAL, synchronous=FULL), as the store does. No validation, no signature, no
 * events, no logging. What it reaches beside the bare process is the most any durable server
 * can reach on the same machine under the same load: the limit the targets meet.
 * `node floor.js PORT DATABASE`.
 */
import formbody from '@fastify/formbody';
import Fastify from 'fastify';
import { startFloorWriter } from './floor-writer.js';

const [port, database] = process.argv.slice(2);
if (!database) throw new Error('usage: node floor.js PORT DATABASE');
const writer = await startFloorWriter(database);
const app = Fastify({ logger: false });
await app.register(formbody);
// An order: its id made here, the row inserted and committed by the thread.
app.post('/floor/json', async (_request, reply) => {
  const orderId = await writer.write('insert', null);
  return reply.status(201).send({ ok: true, order_id: orderId, status: 'pending' });
});
// A payment: the order named by the form marked paid, once.
app.post('/floor/form', async (request) => {
  const { order_id: orderId } = request.body as { order_id?: string };
  const changed = await writer.write('pay', orderId ?? '');
  return { ok: changed === 1, status: 'paid' };
});
await app.listen({ port: Number(port ?? 0), host: '127.0.0.1' });
process.on('SIGTERM', () => {
  void app.close().then(async () => {
    await writer.close();
    process.exit(0);
  });
});
