import { mkdirSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import Fastify from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import { hashPassword } from '../../src/admin/password.js';
import { igepayPlugin } from '../../src/plugin.js';
import { DASHBOARD_CSP } from '../../src/routes/dashboard.js';
import { recorded, startTestServer, type TestServer, tempDir, testConfig } from '../support/harness.js';
import { describeApi } from '../support/openapi.js';

const PASSWORD = 'correct horse battery';
const HASH = await hashPassword(PASSWORD);
const OWN = 'http://shop.example.com';

const closers: Array<() => unknown> = [];
afterEach(async () => {
  for (const close of closers.splice(0).reverse()) await close();
});

/** A built dashboard of our own: a page and one script. */
function fakeBuild(): string {
  const dir = tempDir();
  closers.push(dir.cleanup);
  mkdirSync(join(dir.dir, 'assets'));
  writeFileSync(
    join(dir.dir, 'index.html'),
    '<!doctype html><script type="module" src="./assets/app-1.js"></script>',
  );
  writeFileSync(join(dir.dir, 'assets', 'app-1.js'), 'export {};');
  return dir.dir;
}

async function listen(server: TestServer): Promise<string> {
  closers.push(() => server.close());
  await server.app.listen({ port: 0, host: '127.0.0.1' });
  return `http://127.0.0.1:${(server.app.server.address() as AddressInfo).port}`;
}

describe('the dashboard over HTTP', () => {
  it('serves its page with a strict CSP and no data, and its script with a long cache', async () => {
    const dashboardDir = fakeBuild();
    const base = await listen(
      await startTestServer({ env: { IGEPAY_ADMIN_PASSWORD_HASH: HASH }, build: { dashboardDir } }),
    );
    const bare = await fetch(`${base}/admin`, { redirect: 'manual' });
    expect(bare.status).toBe(302);
    expect(bare.headers.get('location')).toBe('/admin/');

    const page = await fetch(`${base}/admin/`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(page.headers.get('content-security-policy')).toBe(DASHBOARD_CSP);
    expect(DASHBOARD_CSP).not.toMatch(/unsafe-inline|unsafe-eval|\*/);
    expect(page.headers.get('x-frame-options')).toBe('DENY');
    expect(page.headers.get('access-control-allow-origin')).toBeNull();
    expect(await page.text()).toContain('./assets/app-1.js');

    const script = await fetch(`${base}/admin/assets/app-1.js`, {
      headers: { origin: 'https://evil.example' },
    });
    expect(script.status).toBe(200);
    expect(script.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    expect(script.headers.get('access-control-allow-origin')).toBeNull();
    expect((await fetch(`${base}/admin/assets/../../package.json`)).status).toBe(404);
  });

  it('says how to build it when it is not built', async () => {
    const base = await listen(
      await startTestServer({
        env: { IGEPAY_ADMIN_PASSWORD_HASH: HASH },
        build: { dashboardDir: join(fakeBuild(), 'missing') },
      }),
    );
    const page = await fetch(`${base}/admin/`);
    expect(page.status).toBe(404);
    expect(await page.json()).toMatchObject({ msg: expect.stringMatching(/pnpm build/) });
  });

  it('answers no route of its API without a session: every one the server documents', async () => {
    const server = await startTestServer({ env: { IGEPAY_ADMIN_PASSWORD_HASH: HASH } });
    const base = await listen(server);
    // The API as described from the routes of a server with the dashboard on (the shipped
    // openapi.json is the public API's: the dashboard's is not in it).
    const spec = (await describeApi(server.config)) as {
      paths: Record<string, Record<string, unknown>>;
    };
    const routes = Object.entries(spec.paths)
      .filter(([path]) => path.startsWith('/admin/api/'))
      .flatMap(([path, methods]) =>
        Object.keys(methods).map((method) => [method.toUpperCase(), path] as const),
      );
    // The read routes, the actions and the session's: none is missing from the document.
    expect(routes.length).toBeGreaterThanOrEqual(11);
    for (const [method, path] of routes) {
      if (method === 'POST' && path === '/admin/api/session') continue;
      const url = `${base}${path.replace(/\{(\w+)\}/g, '1')}`;
      const response = await fetch(url, {
        method,
        headers: {
          origin: OWN,
          'x-csrf-token': 'x',
          ...(method === 'POST' && { 'content-type': 'application/json' }),
        },
        // A body the route would refuse: without a session it is not even read.
        ...(method === 'POST' && { body: JSON.stringify({ note: '' }) }),
      });
      expect(response.status, `${method} ${path}`).toBe(401);
      expect(await response.json()).toMatchObject({ code: 4011 });
    }
    expect(recorded.responses.join('\n')).not.toContain(HASH);
  });

  it('follows the plugin prefix: page, API and cookie under /pay/admin', async () => {
    const dir = tempDir();
    closers.push(dir.cleanup);
    const app = Fastify();
    closers.push(() => app.close());
    await app.register(igepayPlugin, {
      config: testConfig(dir.dir, { PUBLIC_URL: `${OWN}/pay`, IGEPAY_ADMIN_PASSWORD_HASH: HASH }),
      prefix: '/pay',
      dashboardDir: fakeBuild(),
    });
    await app.ready();
    const bare = await app.inject({ url: '/pay/admin' });
    expect(bare.headers.location).toBe('/pay/admin/');
    expect((await app.inject({ url: '/pay/admin/' })).statusCode).toBe(200);
    expect((await app.inject({ url: '/admin/' })).statusCode).toBe(404);
    const signIn = await app.inject({
      method: 'POST',
      url: '/pay/admin/api/session',
      headers: { origin: OWN },
      payload: { password: PASSWORD },
    });
    expect(signIn.statusCode).toBe(201);
    expect(String(signIn.headers['set-cookie'])).toMatch(/; Path=\/pay\/admin;/);
  });
});
