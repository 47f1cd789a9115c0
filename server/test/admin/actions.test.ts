import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Overview } from '@igepay/shared';
import { describe, expect, it } from 'vitest';
import { checkout, notificationFor, postNotify } from '../support/harness.js';
import { base, HASH, OWN, signIn, start, stop, until } from './dashboard-server.js';

describe('the dashboard actions', () => {
  it("redelivers an event to the shop's app on loopback (same id), only with the CSRF token, and audits it", async () => {
    const received: string[] = [];
    const app = createServer((request, response) => {
      received.push(String(request.headers['webhook-id']));
      request.resume();
      request.on('end', () => response.writeHead(200).end('ok'));
    });
    await new Promise<void>((resolve) => app.listen(0, '127.0.0.1', resolve));
    try {
      const url = `http://127.0.0.1:${(app.address() as AddressInfo).port}/hooks`;
      const running = await start(
        {
          IGEPAY_ADMIN_PASSWORD_HASH: HASH,
          IGEPAY_FORWARD_URL: url,
          IGEPAY_FORWARD_SECRET: 'whsec_Zm9yd2FyZC1zZWNyZXQtZm9yLXRlc3RzLTAxMjM0NTY=',
        },
        { deliveryPollMs: 30, retry: { baseMs: 40, maxMs: 200, giveUpAfterMs: 60_000 } },
      );
      const order = await checkout(running.app, { product: 'vip', channel: 'wechat' });
      expect((await postNotify(running.app, notificationFor(order))).body).toBe('success');
      await until(() => received.length === 1);
      const eventId = `evt_paid_${order.order_id}`;
      expect(received).toEqual([eventId]);
      const { cookie, csrf } = await signIn();
      const redeliver = (headers: Record<string, string>) =>
        fetch(`${base}/admin/api/events/${eventId}/redeliver`, {
          method: 'POST',
          headers: { cookie, ...headers },
        });
      expect((await redeliver({ origin: OWN })).status).toBe(403);
      expect((await redeliver({ origin: 'https://evil.example', 'x-csrf-token': csrf })).status).toBe(403);
      await new Promise((resolve) => setTimeout(resolve, 150));
      expect(received).toHaveLength(1);
      const done = await redeliver({ origin: OWN, 'x-csrf-token': csrf });
      expect(done.status).toBe(200);
      expect(await done.json()).toEqual({ id: eventId, queued_for: ['forward'] });
      await until(() => received.length === 2);
      expect(received).toEqual([eventId, eventId]);
      const missing = await fetch(`${base}/admin/api/events/evt_nope/redeliver`, {
        method: 'POST',
        headers: { cookie, origin: OWN, 'x-csrf-token': csrf },
      });
      expect(missing.status).toBe(404);
      const trail = await running.app.igepay.store.listAdminActions(10);
      expect(trail[0]).toMatchObject({ action: 'redeliver', target: eventId, client: '127.0.0.1' });
    } finally {
      await stop();
      await new Promise((resolve) => app.close(resolve));
    }
  });

  it('resolves a notification that could not be applied, once, with a note the audit keeps', async () => {
    const running = await start();
    const order = await checkout(running.app, { product: 'vip', channel: 'wechat' });
    // Validly signed, but for another amount: kept for a person, never paid.
    expect((await postNotify(running.app, notificationFor(order, { price: '0.01' }))).body).toBe('success');
    const { cookie, csrf } = await signIn();
    const attention = async () =>
      ((await (await fetch(`${base}/admin/api/overview`, { headers: { cookie } })).json()) as Overview)
        .attention;
    expect((await attention()).unapplied_notifications).toBe(1);
    const [unapplied] = await running.app.igepay.store.listUnapplied();
    const resolve = (
      body: unknown,
      headers: Record<string, string> = { origin: OWN, 'x-csrf-token': csrf },
    ) =>
      fetch(`${base}/admin/api/unapplied/${unapplied?.id}/resolve`, {
        method: 'POST',
        headers: { cookie, 'content-type': 'application/json', ...headers },
        body: JSON.stringify(body),
      });
    expect((await resolve({ note: '已联系买家退款' }, { origin: OWN })).status).toBe(403);
    expect((await resolve({ note: '   ' })).status).toBe(400);
    expect((await resolve({ note: '已联系买家退款' })).status).toBe(200);
    expect((await attention()).unapplied_notifications).toBe(0);
    expect((await resolve({ note: 'again' })).status).toBe(404);
    const trail = await running.app.igepay.store.listAdminActions(10);
    expect(trail[0]).toMatchObject({
      action: 'resolve',
      target: `unapplied:${unapplied?.id}`,
      note: '已联系买家退款',
    });
  });
});
