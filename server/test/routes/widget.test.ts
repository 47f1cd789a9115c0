import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { brotliCompressSync, brotliDecompressSync, gzipSync } from 'node:zlib';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer, tempDir } from '../support/harness.js';

let dir: ReturnType<typeof tempDir>;
let server: TestServer;
const SOURCE = `export class IgepayButton extends HTMLElement {}\n// ${'x'.repeat(2000)}\n`;

beforeEach(async () => {
  dir = tempDir();
  const file = join(dir.dir, 'widget.js');
  writeFileSync(file, SOURCE);
  writeFileSync(`${file}.gz`, gzipSync(SOURCE));
  server = await startTestServer({ widgetFile: file });
});
afterEach(async () => {
  await server.close();
  dir.cleanup();
});

describe('GET /widget.js', () => {
  it('serves the module to any origin, compressed when asked, cached briefly and revalidated by ETag', async () => {
    const plain = await server.app.inject({
      url: '/widget.js',
      headers: { origin: 'https://merchant.example' },
    });
    expect(plain.statusCode).toBe(200);
    expect(plain.body).toBe(SOURCE);
    expect(plain.headers['content-type']).toMatch(/^(text|application)\/javascript/);
    expect(plain.headers['access-control-allow-origin']).toBe('*');
    expect(plain.headers['cache-control']).toBe('public, max-age=300, stale-while-revalidate=86400');
    const etag = String(plain.headers.etag);
    expect(etag).toMatch(/^(W\/)?"/);

    const gzipped = await server.app.inject({
      url: '/widget.js',
      headers: { 'accept-encoding': 'gzip, br' },
    });
    expect(gzipped.headers['content-encoding']).toBe('gzip');
    expect(gzipped.headers.vary).toMatch(/accept-encoding/i);
    expect(gzipped.rawPayload.length).toBeLessThan(SOURCE.length / 5);

    const again = await server.app.inject({ url: '/widget.js', headers: { 'if-none-match': etag } });
    expect(again.statusCode).toBe(304);
    expect(again.body).toBe('');
  });

  it('serves Brotli where it is built and the browser takes it, and the plain module to a client that asks for none', async () => {
    const file = join(dir.dir, 'widget.js');
    writeFileSync(`${file}.br`, brotliCompressSync(SOURCE));
    const brotli = await server.app.inject({ url: '/widget.js', headers: { 'accept-encoding': 'gzip, br' } });
    expect(brotli.headers['content-encoding']).toBe('br');
    expect(brotliDecompressSync(brotli.rawPayload).toString()).toBe(SOURCE);
    const gzipOnly = await server.app.inject({ url: '/widget.js', headers: { 'accept-encoding': 'gzip' } });
    expect(gzipOnly.headers['content-encoding']).toBe('gzip');
    const identity = await server.app.inject({
      url: '/widget.js',
      headers: { 'accept-encoding': 'identity' },
    });
    expect(identity.headers['content-encoding']).toBeUndefined();
    expect(identity.body).toBe(SOURCE);
    const head = await server.app.inject({ method: 'HEAD', url: '/widget.js' });
    expect(head.statusCode).toBe(200);
    expect(head.body).toBe('');
  });

  it('says how to build it when it is not built', async () => {
    await server.close();
    server = await startTestServer({ widgetFile: join(dir.dir, 'missing', 'widget.js') });
    const response = await server.app.inject({ url: '/widget.js' });
    expect(response.statusCode).toBe(404);
    expect(response.json()).toMatchObject({ code: 4041, msg: expect.stringMatching(/pnpm build/) });
  });
});
