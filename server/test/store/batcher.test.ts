import { describe, expect, it } from 'vitest';
import { Batcher, type BatchResult } from '../../src/store/postgres/batcher.js';

const ok = <O>(value: O): BatchResult<O> => ({ ok: true, value });

describe('Batcher', () => {
  it('sends items at once under light load, and gathers the ones that wait into batches', async () => {
    const batches: number[][] = [];
    let inFlight = 0;
    let most = 0;
    const batcher = new Batcher<number, number>(
      async (items) => {
        inFlight++;
        most = Math.max(most, inFlight);
        batches.push([...items]);
        await new Promise((resolve) => setTimeout(resolve, 10));
        inFlight--;
        return items.map((item) => ok(item * 2));
      },
      { maxInFlight: 2, maxBatch: 50 },
    );
    expect(await batcher.submit(1)).toBe(2);
    const results = await Promise.all(Array.from({ length: 200 }, (_, i) => batcher.submit(i)));
    expect(results).toEqual(Array.from({ length: 200 }, (_, i) => i * 2));
    expect(most).toBe(2);
    // Alone when nothing else was waiting; then the 200 waited, and went in batches of at most 50.
    expect(batches[0]).toEqual([1]);
    expect(batches.slice(1).flat()).toEqual(Array.from({ length: 200 }, (_, i) => i));
    expect(Math.max(...batches.map((batch) => batch.length))).toBe(50);
    expect(batches.length).toBeLessThanOrEqual(1 + 2 + 4);
  });

  it('refuses only the item at fault, whether the batch says so or fails as a whole', async () => {
    const batcher = new Batcher<string, string>(
      async (items) => {
        if (items.length > 1 && items.includes('poison')) throw new Error('the whole statement failed');
        if (items.length === 1 && items[0] === 'poison') throw new Error('poison cannot be stored');
        return items.map((item) => (item === 'taken' ? { ok: false, error: new Error('taken') } : ok(item)));
      },
      { maxInFlight: 1 },
    );
    const first = batcher.submit('a');
    const rest = ['b', 'poison', 'taken', 'c'].map((item) =>
      batcher.submit(item).catch((error: Error) => error.message),
    );
    expect(await first).toBe('a');
    expect(await Promise.all(rest)).toEqual(['b', 'poison cannot be stored', 'taken', 'c']);
  });
});
