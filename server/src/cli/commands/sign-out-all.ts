import type { Output } from '../output.js';
import { withStore } from '../store.js';

/**
 * `igepay admin sign-out-all`: every dashboard session ends now (a lost laptop, a password that
 * leaked); kept in the audit trail. A new password hash also ends them, at the next restart.
 */
export async function signOutAll(out: Output, env: NodeJS.ProcessEnv): Promise<void> {
  const now = Date.now();
  await withStore(env, async (store) => {
    await store.deleteAdminSessions({ lastSeenBefore: Number.MAX_SAFE_INTEGER });
    await store.recordAdminAction({
      at: now,
      action: 'sign-out-all',
      session: 'command',
      client: 'igepay admin sign-out-all',
      target: null,
      note: null,
    });
  });
  if (out.json) return out.print(JSON.stringify({ signed_out_at: new Date(now).toISOString() }));
  out.print(`${out.paint('green', 'Signed out')} every dashboard session: sign in again with the password.`);
}
