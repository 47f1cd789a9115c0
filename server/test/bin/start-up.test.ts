import { once } from 'node:events';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { TOKEN, tempDir } from '../support/harness.js';
import { runEntry } from '../support/process.js';

const dir = tempDir();
afterEach(() => dir.cleanup());

describe('start-up', () => {
  it('listens without loading what no request has needed yet: Ajv, the serializer compiler, file, multipart and CSV readers, fetch', async () => {
    const server = runEntry(
      {
        IGEPAY_UID: '10001',
        IGEPAY_TOKEN: TOKEN,
        PORT: '0',
        HOST: '127.0.0.1',
        DATABASE_URL: `sqlite:${join(dir.dir, 'igepay.db')}`,
      },
      join(import.meta.dirname, '..', 'support', 'modules-at-ready.ts'),
    );
    const deadline = Date.now() + 15_000;
    let line: RegExpExecArray | null = null;
    while (!line && Date.now() < deadline && server.child.exitCode === null) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      line = /^MODULES (.*)$/m.exec(server.output());
    }
    const exited = once(server.child, 'exit');
    server.child.kill('SIGTERM');
    await exited;
    expect(line?.[1], server.output()).toBeDefined();
    expect(JSON.parse(line?.[1] ?? '{}')).toEqual({
      ajv: false,
      csv: false,
      multipart: false,
      serializerCompiler: false,
      staticFiles: false,
      undici: false,
    });
  });
});
