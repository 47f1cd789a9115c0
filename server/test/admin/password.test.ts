import { describe, expect, it } from 'vitest';
import { hashPassword, verifyPassword } from '../../src/admin/password.js';
import { configSecrets, loadConfig } from '../../src/config/config.js';
import { ConfigError } from '../../src/config/env.js';
import { parsePasswordHash } from '../../src/config/password-hash.js';
import { TOKEN } from '../support/harness.js';
import { runCli } from '../support/process.js';

const PASSWORD = 'correct horse battery';
const LIVE = { IGEPAY_UID: '10001', IGEPAY_TOKEN: TOKEN, PUBLIC_URL: 'https://shop.example.com' };

describe('dashboard passwords', () => {
  it('are hashed with scrypt and a fresh salt, and checked against the hash alone', async () => {
    const first = await hashPassword(PASSWORD);
    const second = await hashPassword(PASSWORD);
    expect(first).toMatch(/^scrypt:32768:8:1:[\w-]{22}:[\w-]{43}$/);
    expect(first).not.toBe(second);
    const hash = parsePasswordHash(first);
    if (!hash) throw new Error('unreadable hash');
    expect(await verifyPassword(PASSWORD, hash)).toBe(true);
    expect(await verifyPassword('correct horse batterY', hash)).toBe(false);
    expect(await verifyPassword('', hash)).toBe(false);
    // The same password typed as composed or decomposed characters is the same password.
    const accented = parsePasswordHash(await hashPassword('mot de passe café'));
    if (!accented) throw new Error('unreadable hash');
    expect(await verifyPassword('mot de passe cafe\u0301', accented)).toBe(true);
  });

  it('refuse a hash that is not ours, or one too cheap to resist guessing', async () => {
    const good = await hashPassword(PASSWORD);
    const [, , r, p, salt, key] = good.split(':');
    for (const bad of [
      '',
      'plain password',
      `$scrypt$${salt}$${key}`,
      `scrypt:1024:${r}:${p}:${salt}:${key}`, // N too small
      `scrypt:30000:${r}:${p}:${salt}:${key}`, // not a power of two
      `scrypt:32768:${r}:${p}:${salt}:${key?.slice(0, 20)}`, // key cut short
      `bcrypt:32768:${r}:${p}:${salt}:${key}`,
    ]) {
      expect(parsePasswordHash(bad), bad).toBeUndefined();
    }
  });

  it('come from igepay admin hash-password, which prints the hash and never the password', async () => {
    const made = await runCli(['admin', 'hash-password'], {}, `${PASSWORD}\n`);
    expect(made.code, made.stderr).toBe(0);
    const line = made.stdout.trim();
    expect(line).not.toContain('$');
    expect(made.stdout + made.stderr).not.toContain(PASSWORD);
    expect(made.stderr).toContain('IGEPAY_ADMIN_PASSWORD_HASH');
    const hash = parsePasswordHash(line);
    if (!hash) throw new Error(`not a hash: ${line}`);
    expect(await verifyPassword(PASSWORD, hash)).toBe(true);

    const short = await runCli(['admin', 'hash-password'], {}, 'too short\n');
    expect(short.code).toBe(1);
    expect(short.stdout).toBe('');
    expect(short.stderr).toBe('igepay: the password must have at least 12 characters\n');
  });

  it('turn the dashboard on when IGEPAY_ADMIN_PASSWORD_HASH holds one; anything else is refused without being echoed', async () => {
    expect(loadConfig(LIVE).admin).toBeUndefined();
    const text = await hashPassword(PASSWORD);
    const config = loadConfig({ ...LIVE, IGEPAY_ADMIN_PASSWORD_HASH: text });
    expect(config.admin?.passwordHash.N).toBe(32768);
    // Kept out of every log line and message, as the other secrets are.
    expect(configSecrets(config)).toContain(text);
    const wrong = 'my-password-in-clear';
    const refused = (() => {
      try {
        loadConfig({ ...LIVE, IGEPAY_ADMIN_PASSWORD_HASH: wrong });
      } catch (error) {
        return error;
      }
    })();
    expect(refused).toBeInstanceOf(ConfigError);
    expect((refused as Error).message).toContain(
      'IGEPAY_ADMIN_PASSWORD_HASH must be a hash made by igepay admin hash-password',
    );
    expect((refused as Error).message).not.toContain(wrong);
  });
});
