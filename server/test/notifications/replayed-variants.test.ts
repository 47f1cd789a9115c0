/**
 * One signed notification, replayed with other unsigned fields: igepay's sign covers
 * `order_id` and `price` only, so whoever holds one (a plain-HTTP notify_url, a forwarded event)
 * can make as many variants as they like. Over real HTTP, each is answered, and only a few are
 * kept and forwarded.
 */
import { DatabaseSync } from 'node:sqlite';
import { afterEach, describe, expect, it } from 'vitest';
import { unappliedJson } from '../../src/store/json.js';
import { MAX_UNAPPLIED_VARIANTS } from '../../src/store/order-store.js';
import {
  checkout,
  notificationFor,
  sqlitePath,
  startTestServer,
  type TestServer,
} from '../support/harness.js';

let server: TestServer | undefined;
afterEach(() => server?.close());

/** The database's size as its pages count it (the WAL's included). */
function databaseBytes(path: string): number {
  const db = new DatabaseSync(path, { readOnly: true });
  try {
    const { page_count } = db.prepare('PRAGMA page_count').get() as { page_count: number };
    const { page_size } = db.prepare('PRAGMA page_size').get() as { page_size: number };
    return page_count * page_size;
  } finally {
    db.close();
  }
}

describe('replayed variants of one signed notification', () => {
  it('answers all 1,000, keeps and forwards only the first few, and grows the database by under 1 MB', async () => {
    server = await startTestServer({
      env: {
        IGEPAY_FORWARD_URL: 'http://127.0.0.1:9/unused',
        IGEPAY_FORWARD_SECRET: 'whsec_Zm9yd2FyZC1zZWNyZXQtZm9yLXRlc3RzLTAxMjM0NTY=',
      },
    });
    const base = await server.app.listen({ port: 0, host: '127.0.0.1' });
    const order = await checkout(server.app, { channel: 'wechat', product: 'vip' });
    const post = (fields: Record<string, string>) =>
      fetch(`${base}/api/igepay/notify`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams(fields).toString(),
      });
    const signed = notificationFor(order);
    expect(await (await post(signed)).text()).toBe('success');
    const before = databaseBytes(sqlitePath(server.config));

    const statuses = new Map<number, number>();
    for (let n = 0; n < 1_000; n += 1) {
      // Another pay_num, code and a field of its own each time: the sign still holds.
      const variant = {
        ...signed,
        pay_num: `P${n}`,
        code: n % 2 ? '0000' : '2001',
        [`x${n}`]: 'y'.repeat(1_000),
      };
      const answer = await post(variant);
      statuses.set(answer.status, (statuses.get(answer.status) ?? 0) + 1);
      if (answer.status === 200) expect(await answer.text()).toBe('success');
      else await answer.arrayBuffer();
    }
    expect([...statuses.keys()].every((status) => status === 200 || (status >= 400 && status < 500))).toBe(
      true,
    );

    const store = server.app.igepay.store;
    const kept = await store.listUnapplied();
    expect(kept).toHaveLength(MAX_UNAPPLIED_VARIANTS);
    expect(kept.reduce((sum, record) => sum + 1 + record.suppressed, 0)).toBe(1_000);
    // What igepay reconcile --json and the dashboard show of it.
    expect(unappliedJson(kept[0] as (typeof kept)[number]).suppressed_variants).toBe(
      1_000 - MAX_UNAPPLIED_VARIANTS,
    );
    const forwarded = (await store.listEvents({ limit: 100 })).filter(
      (e) => e.type === 'notification.unapplied',
    );
    expect(forwarded).toHaveLength(MAX_UNAPPLIED_VARIANTS);
    expect(databaseBytes(sqlitePath(server.config)) - before).toBeLessThan(1_000_000);
    // The order stays paid by its own payment.
    expect(await store.getOrder(order.order_id)).toMatchObject({ status: 'paid', payNum: signed.pay_num });
  }, 120_000);
});
