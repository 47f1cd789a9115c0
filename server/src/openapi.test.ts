import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { OPENAPI_FILE, openApiDocument } from './openapi-document.js';

describe('GET /openapi.json', () => {
  it('describes the API from its zod schemas, and the checked-in file is current', async () => {
    const served = await openApiDocument();
    expect(served, 'server/openapi.json is stale: run corepack pnpm --filter @igepay/server openapi').toBe(
      readFileSync(OPENAPI_FILE, 'utf8'),
    );
    const document = JSON.parse(served);
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
