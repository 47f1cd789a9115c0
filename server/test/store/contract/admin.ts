import { describe, expect, it } from 'vitest';
import type { ContractEngine } from './engine.js';

/** The dashboard's sessions and its audit trail. */
export function adminContract(engine: ContractEngine): void {
  describe('dashboard sessions and audit', () => {
    it('keeps a session by its hash, touches it, and ends it alone or with every idle one', async () => {
      const store = await engine.open();
      const session = (n: number, lastSeenAt: number) => ({
        idHash: String(n).repeat(64),
        csrfToken: `csrf-${n}`,
        createdAt: 1_796_000_000_000 + n,
        lastSeenAt,
      });
      await store.createAdminSession(session(1, 1_796_000_001_000));
      await store.createAdminSession(session(2, 1_796_000_002_000));
      await store.createAdminSession(session(3, 1_796_000_003_000));
      expect(await store.getAdminSession('1'.repeat(64))).toEqual(session(1, 1_796_000_001_000));
      expect(await store.getAdminSession('9'.repeat(64))).toBeUndefined();
      await store.touchAdminSession('1'.repeat(64), 1_796_000_009_000);
      expect((await store.getAdminSession('1'.repeat(64)))?.lastSeenAt).toBe(1_796_000_009_000);
      await store.deleteAdminSessions({ idHash: '3'.repeat(64) });
      expect(await store.getAdminSession('3'.repeat(64))).toBeUndefined();
      // Sessions not used since a time go, the others stay.
      await store.deleteAdminSessions({ lastSeenBefore: 1_796_000_005_000 });
      expect(await store.getAdminSession('2'.repeat(64))).toBeUndefined();
      expect(await store.getAdminSession('1'.repeat(64))).toBeDefined();
      await store.close();
      // Durable: another opening sees it.
      const reopened = await engine.open();
      expect((await reopened.getAdminSession('1'.repeat(64)))?.csrfToken).toBe('csrf-1');
      await reopened.close();
    });

    it('keeps an audit trail of what was done, newest first', async () => {
      const store = await engine.open();
      const action = (n: number, target: string | null, note: string | null) => ({
        at: 1_796_000_000_000 + n,
        action: n === 1 ? 'sign-in' : 'resolve',
        session: 'abcdef012345',
        client: '2001:db8::1',
        target,
        note,
      });
      await store.recordAdminAction(action(1, null, null));
      await store.recordAdminAction(action(2, 'O-1', '已与支付宝核对，金额无误'));
      const trail = await store.listAdminActions(10);
      expect(trail.map(({ id: _id, ...rest }) => rest)).toEqual([
        action(2, 'O-1', '已与支付宝核对，金额无误'),
        action(1, null, null),
      ]);
      expect(trail[0]?.id).toBeGreaterThan(trail[1]?.id ?? Number.POSITIVE_INFINITY);
      expect(await store.listAdminActions(1)).toHaveLength(1);
      await store.close();
    });
  });
}
