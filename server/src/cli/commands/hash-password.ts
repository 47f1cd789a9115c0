import { hashPassword, MIN_PASSWORD_LENGTH } from '../../admin/password.js';
import type { Output } from '../output.js';
import { UsageError } from '../usage-error.js';

/** Everything on standard input, less one final line break (`printf` or `echo` alike). */
async function readPiped(input: NodeJS.ReadStream): Promise<string> {
  let text = '';
  input.setEncoding('utf8');
  for await (const chunk of input) text += chunk;
  return text.replace(/\r?\n$/, '');
}

/** Asks on the terminal without echoing what is typed (Ctrl-C gives up). */
function askHidden(input: NodeJS.ReadStream, prompt: string): Promise<string> {
  process.stderr.write(prompt);
  input.setRawMode(true);
  input.setEncoding('utf8');
  input.resume();
  return new Promise((resolve, reject) => {
    let typed = '';
    const done = (finish: () => void) => {
      input.setRawMode(false);
      input.pause();
      input.off('data', onData);
      process.stderr.write('\n');
      finish();
    };
    const onData = (chunk: string) => {
      for (const char of chunk) {
        if (char === '\r' || char === '\n') return done(() => resolve(typed));
        if (char === '\u0003') return done(() => reject(new UsageError('no password given')));
        if (char === '\u007f' || char === '\b') typed = typed.slice(0, -1);
        else if (char >= ' ') typed += char;
      }
    };
    input.on('data', onData);
  });
}

/**
 * `igepay admin hash-password`: a scrypt hash of the dashboard's password, for
 * `IGEPAY_ADMIN_PASSWORD_HASH`. Asked twice on a terminal; otherwise read from standard input.
 */
export async function hashPasswordCommand(
  out: Output,
  input: NodeJS.ReadStream = process.stdin,
): Promise<void> {
  let password: string;
  if (input.isTTY) {
    password = await askHidden(input, `Password (at least ${MIN_PASSWORD_LENGTH} characters): `);
    if ((await askHidden(input, 'Again: ')) !== password) throw new UsageError('the two passwords differ');
  } else {
    password = await readPiped(input);
  }
  if ([...password].length < MIN_PASSWORD_LENGTH)
    throw new UsageError(`the password must have at least ${MIN_PASSWORD_LENGTH} characters`);
  const hash = await hashPassword(password);
  if (out.json) out.print(JSON.stringify({ hash }));
  else out.print(hash);
  process.stderr.write(
    'Set IGEPAY_ADMIN_PASSWORD_HASH to that line (it holds no $, so env files keep it as it is).\n',
  );
}
