/**
 * A real nginx (Debian's package) on loopback, run from the configuration in `deploy/`, for tests
 * of the server behind a reverse proxy.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { connect, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestTls } from './tls.js';

/** Where Debian installs nginx. */
export const NGINX = '/usr/sbin/nginx';

/** A running nginx and the files it writes. */
export interface Nginx {
  readonly port: number;
  /** The access log's lines so far. */
  accessLog(): string[];
  /** nginx's error log so far. */
  errorLog(): string;
  stop(): Promise<void>;
}

/** A loopback port nothing listens on now. */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise((resolve) => server.close(resolve));
  if (typeof address !== 'object' || !address) throw new Error('no port');
  return address.port;
}

async function untilListening(port: number, process: ChildProcess, errors: () => string): Promise<void> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    if (process.exitCode !== null) throw new Error(`nginx exited: ${errors()}`);
    const open = await new Promise<boolean>((resolve) => {
      const socket = connect(port, '127.0.0.1', () => {
        socket.destroy();
        resolve(true);
      });
      socket.on('error', () => resolve(false));
    });
    if (open) return;
    if (Date.now() > deadline) throw new Error(`nginx did not listen on ${port}: ${errors()}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/**
 * Starts nginx in the foreground with `site` (what goes in `conf.d/`, http context) inside a
 * minimal main configuration whose every file is in a temporary folder.
 */
export async function startNginx(site: string, port: number): Promise<Nginx> {
  const dir = mkdtempSync(join(tmpdir(), 'igepay-nginx-'));
  for (const temp of ['body', 'proxy', 'fastcgi', 'uwsgi', 'scgi']) mkdirSync(join(dir, temp));
  writeFileSync(join(dir, 'site.conf'), site.replaceAll('/var/log/nginx/', `${dir}/`));
  writeFileSync(
    join(dir, 'nginx.conf'),
    `${process.getuid?.() === 0 ? 'user root;\n' : ''}daemon off;
worker_processes 1;
pid ${dir}/nginx.pid;
error_log ${dir}/error.log warn;
events { worker_connections 4096; }
http {
  client_body_temp_path ${dir}/body;
  proxy_temp_path ${dir}/proxy;
  fastcgi_temp_path ${dir}/fastcgi;
  uwsgi_temp_path ${dir}/uwsgi;
  scgi_temp_path ${dir}/scgi;
  include ${dir}/site.conf;
}
`,
  );
  const child = spawn(NGINX, ['-p', dir, '-c', join(dir, 'nginx.conf')], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr?.on('data', (chunk) => {
    stderr += String(chunk);
  });
  const read = (file: string) => {
    try {
      return readFileSync(join(dir, file), 'utf8');
    } catch {
      return '';
    }
  };
  const errorLog = () => `${stderr}${read('error.log')}`;
  await untilListening(port, child, errorLog);
  return {
    port,
    accessLog: () =>
      read('igepay.access.log')
        .split('\n')
        .filter((line) => line !== ''),
    errorLog,
    stop: async () => {
      if (child.exitCode === null) {
        const exited = new Promise((resolve) => child.once('exit', resolve));
        child.kill('SIGQUIT');
        await exited;
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * The docs' site configuration (`deploy/nginx.conf`) for this machine: listening on loopback
 * `port` with the test certificate (written beside its CA), proxying to the server on `serverPort`.
 */
export function deploySite(options: { port: number; serverPort: number; tls: TestTls }): string {
  const { port, serverPort, tls } = options;
  const folder = join(tls.caFile, '..');
  writeFileSync(join(folder, 'server.key.pem'), tls.key);
  writeFileSync(join(folder, 'server.cert.pem'), tls.cert);
  return readFileSync(join(import.meta.dirname, '..', '..', '..', 'deploy', 'nginx.conf'), 'utf8')
    .replace('listen 443 ssl;', `listen 127.0.0.1:${port} ssl;`)
    .replace('server 127.0.0.1:8787;', `server 127.0.0.1:${serverPort};`)
    .replace(/ssl_certificate \S+;/, `ssl_certificate ${join(folder, 'server.cert.pem')};`)
    .replace(/ssl_certificate_key \S+;/, `ssl_certificate_key ${join(folder, 'server.key.pem')};`);
}
