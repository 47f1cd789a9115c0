import { type Output, table, time, untrusted } from '../output.js';
import { withStore } from '../store.js';

/** `igepay rejected`: the most recent notifications answered `fail`, to diagnose a first live payment. */
export async function listRejected(
  out: Output,
  env: NodeJS.ProcessEnv,
  options: { limit: number },
): Promise<void> {
  const rejected = await withStore(env, (store) => store.listRejected(options.limit));
  if (out.json) {
    return out.print(
      JSON.stringify(
        rejected.map((r) => ({
          id: r.id,
          received_at: new Date(r.receivedAt).toISOString(),
          client_address: r.clientAddress,
          content_type: r.contentType,
          reason: r.reason,
          detail: r.detail,
          fields: r.fields,
          excerpt: r.excerpt,
        })),
        null,
        2,
      ),
    );
  }
  if (rejected.length === 0) return out.print(out.paint('dim', 'No refused notifications.'));
  out.print(
    table(
      ['RECEIVED', 'FROM', 'CONTENT TYPE', 'REASON', 'WHY'],
      rejected.map((r) => [
        time(r.receivedAt),
        untrusted(r.clientAddress, 40),
        untrusted(r.contentType ?? '(none)', 40),
        out.paint('red', r.reason),
        untrusted(r.detail, 80),
      ]),
    ),
  );
  out.print('');
  for (const r of rejected) {
    const body =
      r.fields === null ? (r.excerpt ?? '(empty)') : new URLSearchParams(Object.entries(r.fields)).toString();
    out.print(`${out.paint('dim', `#${r.id}`)} ${untrusted(body, 400)}`);
  }
  out.print(
    out.paint(
      'dim',
      "\nCheck one with IGEPAY_TOKEN set: igepay verify-notify --body '<the body above>' (docs/first-live-payment.md).",
    ),
  );
}
