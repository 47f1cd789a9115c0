/**
 * The floor's durable writes (`floor.ts`): a thread that takes every write waiting, runs them
 * in one transaction and fsyncs it before answering (group commit), as the store's writer does,
 * with nothing else on the way.
 */
import { once } from 'node:events';
import { Worker } from 'node:worker_threads';

/** What the floor writes: a new pending order, or a payment of the order named. */
export type FloorWrite = 'insert' | 'pay';

/** Starts the thread on `database`; `write` resolves once its group is on disk. */
export async function startFloorWriter(database: string) {
  const worker = new Worker(new URL('./floor-worker.js', import.meta.url), {
    workerData: database,
    name: 'floor-writer',
  });
  await once(worker, 'message');
  const waiting = new Map<number, (value: string | number) => void>();
  let outbox: Array<[number, FloorWrite, string | null]> = [];
  let next = 1;
  worker.on('message', (results: Array<[number, string | number]>) => {
    for (const [id, value] of results) {
      waiting.get(id)?.(value);
      waiting.delete(id);
    }
  });
  return {
    write(kind: FloorWrite, orderId: string | null): Promise<string | number> {
      const id = next++;
      if (outbox.length === 0) {
        setImmediate(() => {
          worker.postMessage(outbox);
          outbox = [];
        });
      }
      outbox.push([id, kind, orderId]);
      return new Promise((resolve) => waiting.set(id, resolve));
    },
    close: () => worker.terminate(),
  };
}
