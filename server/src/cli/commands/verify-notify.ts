import { readFileSync } from 'node:fs';
import { diagnoseNotification, parseNotificationBody } from '../diagnose-notification.js';
import type { Output } from '../output.js';
import { UsageError } from '../usage-error.js';

/** `igepay verify-notify`: is a captured notification's sign right for IGEPAY_TOKEN, and if not, why? */
export async function verifyNotify(
  out: Output,
  env: NodeJS.ProcessEnv,
  options: { file?: string; body?: string },
): Promise<boolean> {
  const token = env.IGEPAY_TOKEN;
  if (!token)
    throw new UsageError(
      'Set IGEPAY_TOKEN (your merchant token) in the environment; it is never taken as an argument.',
    );
  const text =
    options.body ??
    (options.file ? readFileSync(options.file === '-' ? 0 : options.file, 'utf8') : undefined);
  if (text === undefined)
    throw new UsageError(
      'Give the captured body: --body "pay_num=...&sign=..." or --file body.txt (- for stdin).',
    );
  let fields: Record<string, string>;
  try {
    fields = parseNotificationBody(text);
  } catch {
    throw new UsageError('The body is neither a form (a=1&b=2) nor JSON.');
  }
  const diagnosis = diagnoseNotification(fields, token);
  if (out.json) out.print(JSON.stringify(diagnosis, null, 2));
  else {
    out.print(out.paint(diagnosis.ok ? 'green' : 'red', diagnosis.summary));
    for (const line of diagnosis.details) out.print(out.paint('dim', `  ${line}`));
  }
  return diagnosis.ok;
}
