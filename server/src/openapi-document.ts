import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildApp } from './app.js';
import { loadConfig } from './config.js';

/** Where the checked-in description of the HTTP API lives. */
export const OPENAPI_FILE = join(import.meta.dirname, '..', 'openapi.json');

/**
 * The OpenAPI document of the HTTP API, as `/openapi.json` serves it, from a server with
 * neutral settings (it does not depend on them), formatted as the checked-in file is.
 */
export async function openApiDocument(): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), 'igepay-openapi-'));
  const app = await buildApp({
    config: loadConfig({
      IGEPAY_UID: '10001',
      IGEPAY_TOKEN: 'not-a-real-token-0000',
      DATABASE_URL: `sqlite:${join(dir, 'igepay.db')}`,
    }),
    logger: false,
  });
  try {
    const response = await app.inject({ url: '/openapi.json' });
    return `${JSON.stringify(response.json(), null, 2)}\n`;
  } finally {
    await app.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
