import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { SqliteStore } from '@igepay/server';
import { afterEach, describe, expect, it } from 'vitest';
import { discardPrewarmedWriter, prewarmWriterThread } from '../../src/store/sqlite/writer.js';
import { newOrder, tempDir } from '../support/harness.js';

const dir = tempDir();
afterEach(async () => {
  await discardPrewarmedWriter();
  dir.cleanup();
});

/** This process's threads, as the system counts them. */
const threads = () => readdirSync('/proc/self/task').length;

/** Resolves once the thread count is `count`, or after 5 s with whatever it is. */
async function threadsSettleAt(count: number): Promise<number> {
  const deadline = Date.now() + 5_000;
  while (threads() !== count && Date.now() < deadline)
    await new Promise((resolve) => setTimeout(resolve, 20));
  return threads();
}

describe("the store's writer thread, started ahead", () => {
  it('is taken by the first store to open, which writes through it', async () => {
    const before = threads();
    prewarmWriterThread();
    expect(await threadsSettleAt(before + 1)).toBe(before + 1);
    const store = await SqliteStore.open({ path: join(dir.dir, 'a.db') });
    // No second thread: the store took the one started ahead.
    expect(threads()).toBe(before + 1);
    await store.createOrder(newOrder('o1'));
    expect((await store.getOrder('o1'))?.orderId).toBe('o1');
    await discardPrewarmedWriter();
    expect((await store.getOrder('o1'))?.orderId).toBe('o1');
    await store.close();
    expect(await threadsSettleAt(before)).toBe(before);
  });

  it('is ended when no store takes it, and a store opened after starts its own', async () => {
    const before = threads();
    prewarmWriterThread();
    expect(await threadsSettleAt(before + 1)).toBe(before + 1);
    await discardPrewarmedWriter();
    expect(await threadsSettleAt(before)).toBe(before);
    const store = await SqliteStore.open({ path: join(dir.dir, 'b.db') });
    await store.createOrder(newOrder('o2'));
    expect((await store.getOrder('o2'))?.orderId).toBe('o2');
    await store.close();
  });
});
