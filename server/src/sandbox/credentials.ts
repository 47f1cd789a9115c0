import { randomBytes, randomInt } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { MerchantUidSchema, SANDBOX_TOKEN_PREFIX } from '@igepay/shared';
import { z } from 'zod';

/** The sandbox merchant: a uid and a token that only the simulator accepts. */
export interface SandboxCredentials {
  readonly uid: string;
  readonly token: string;
}

/** The file, inside the data directory, that keeps the sandbox merchant between runs. */
export const CREDENTIALS_FILE = 'sandbox-merchant.json';

const CredentialsSchema = z.object({
  uid: MerchantUidSchema,
  token: z
    .string()
    .startsWith(SANDBOX_TOKEN_PREFIX)
    .min(SANDBOX_TOKEN_PREFIX.length + 16),
});

/**
 * The sandbox merchant of the data directory `dir`: made once (random uid and token, the
 * file readable by its owner only) and read back on every later start, so orders signed
 * before a restart still verify after it.
 */
export function sandboxCredentials(dir: string): SandboxCredentials {
  const file = join(dir, CREDENTIALS_FILE);
  mkdirSync(dir, { recursive: true });
  const made: SandboxCredentials = {
    uid: String(randomInt(900_000_000, 1_000_000_000)),
    token: `${SANDBOX_TOKEN_PREFIX}${randomBytes(16).toString('hex')}`,
  };
  try {
    // 'wx' fails if the file exists: two first starts at once keep one merchant.
    writeFileSync(file, `${JSON.stringify(made, null, 2)}\n`, { flag: 'wx', mode: 0o600 });
    return made;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  }
  let stored: unknown;
  try {
    stored = JSON.parse(readFileSync(file, 'utf8'));
  } catch {
    stored = undefined;
  }
  const parsed = CredentialsSchema.safeParse(stored);
  if (!parsed.success) throw new Error(`${file} is not a sandbox merchant file; delete it to make a new one`);
  return parsed.data;
}
