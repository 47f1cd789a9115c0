import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/app.js';
import { loadConfig } from '../../src/config/config.js';
import { tempDir } from '../support/harness.js';
import { describeApi } from '../support/openapi.js';

let dir: ReturnType<typeof tempDir> | undefined;
afterEach(() => dir?.cleanup());

describe('GET /openapi.json', () => {
  it('describes the API from its zod schemas, and the checked-in file is current', async () => {
    dir = tempDir();
    // Neutral settings: the document does not depend on them.
    const app = await buildApp({
      config: loadConfig({
        IGEPAY_UID: '10001',
        IGEPAY_TOKEN: 'not-a-real-token-0000',
        DATABASE_URL: `sqlite:${join(dir.dir, 'igepay.db')}`,
      }),
      logger: false,
    });
    const response = await app.inject({ url: '/openapi.json' });
    await app.close();
    const described = `${JSON.stringify(await describeApi(app.igepay.config), null, 2)}\n`;
    // Stale? `pnpm --filter @igepay/server openapi` writes it again (vitest -u).
    await expect(described).toMatchFileSnapshot('../../openapi.json');
    // The server serves the file as it is.
    expect(response.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(response.body).toBe(readFileSync(new URL('../../openapi.json', import.meta.url), 'utf8'));
    const document = JSON.parse(described);
    expect(document.openapi).toBe('3.1.0');
    expect(Object.keys(document.paths).sort()).toEqual([
      '/api/checkout',
      '/api/config',
      '/api/igepay/notify',
      '/api/igepay/return',
      '/api/orders/{order_id}',
      '/healthz',
      '/widget.js',
    ]);
    const checkout = document.paths['/api/checkout'].post;
    expect(checkout.requestBody.content['application/json'].schema.properties.channel.enum).toEqual([
      'wechat',
      'alipay',
    ]);
    expect(Object.keys(checkout.responses)).toContain('201');
    expect(
      document.paths['/api/orders/{order_id}'].get.parameters.map((p: { name: string }) => p.name).sort(),
    ).toEqual(['client_secret', 'order_id', 'wait']);
  });
});
