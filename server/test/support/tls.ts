/**
 * TLS for tests: a throwaway certificate authority and one server certificate made with the
 * machine's `openssl`, for HTTPS servers on loopback that Node (via NODE_EXTRA_CA_CERTS) and
 * Chromium (via its SPKI allow-list) trust as they would a real one.
 */
import { execFileSync } from 'node:child_process';
import { createHash, X509Certificate } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer as createHttpServer, type RequestListener, type Server } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { connect, createServer as createNetServer, type Server as NetServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** The names the test certificate is good for. */
export const TLS_NAMES = [
  'localhost',
  'shop.example.com',
  'gateway.example.com',
  'hooks.example.com',
] as const;

/** The files and keys of a {@link TestTls}, as a test process is handed them. */
export type TlsMaterial = Pick<TestTls, 'caFile' | 'key' | 'cert' | 'spki'>;

/** A test CA and a server certificate it signed. */
export interface TestTls {
  /** The CA certificate's file, for NODE_EXTRA_CA_CERTS. */
  readonly caFile: string;
  readonly key: string;
  readonly cert: string;
  /** Base64 SHA-256 of the server certificate's public key, for Chromium's allow-list. */
  readonly spki: string;
  /** Removes the files. */
  cleanup(): void;
}

/** Makes a CA and a certificate for {@link TLS_NAMES} and 127.0.0.1, valid for two days. */
export function makeTestTls(): TestTls {
  const dir = mkdtempSync(join(tmpdir(), 'igepay-tls-'));
  const file = (name: string) => join(dir, name);
  const openssl = (...args: string[]) =>
    execFileSync('openssl', args, { stdio: ['ignore', 'ignore', 'pipe'] });
  const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes'];
  openssl(
    'req',
    '-x509',
    ...ec,
    '-keyout',
    file('ca.key'),
    '-out',
    file('ca.pem'),
    '-days',
    '2',
    '-subj',
    '/CN=igepay test CA',
    '-addext',
    'basicConstraints=critical,CA:TRUE',
    '-addext',
    'keyUsage=critical,keyCertSign',
  );
  openssl('req', ...ec, '-keyout', file('server.key'), '-out', file('server.csr'), '-subj', '/CN=localhost');
  const names = [...TLS_NAMES.map((name) => `DNS:${name}`), 'IP:127.0.0.1'].join(',');
  writeFileSync(
    file('ext.cnf'),
    `subjectAltName=${names}\nextendedKeyUsage=serverAuth\nbasicConstraints=CA:FALSE\n`,
  );
  openssl(
    'x509',
    '-req',
    '-in',
    file('server.csr'),
    '-CA',
    file('ca.pem'),
    '-CAkey',
    file('ca.key'),
    '-CAcreateserial',
    '-out',
    file('server.pem'),
    '-days',
    '2',
    '-extfile',
    file('ext.cnf'),
  );
  const cert = readFileSync(file('server.pem'), 'utf8');
  const spkiDer = new X509Certificate(cert).publicKey.export({ type: 'spki', format: 'der' });
  return {
    caFile: file('ca.pem'),
    key: readFileSync(file('server.key'), 'utf8'),
    cert,
    spki: createHash('sha256').update(spkiDer).digest('base64'),
    cleanup: () => rmSync(dir, { recursive: true, force: true }),
  };
}

/** An HTTPS server with the test certificate, listening on a free loopback port. */
export async function listenHttps(
  tls: Pick<TestTls, 'key' | 'cert'>,
  handler?: RequestListener,
): Promise<{ server: Server; port: number }> {
  const server = createHttpsServer({ key: tls.key, cert: tls.cert }, handler);
  return { server: server as unknown as Server, port: await listen(server) };
}

/**
 * One loopback port that answers both plain HTTP and HTTPS, as a gateway reachable at
 * `http://` and `https://` alike: the first byte of a connection tells a TLS handshake (0x16),
 * and the connection is relayed to an HTTP or an HTTPS server behind.
 */
export async function listenDual(
  tls: Pick<TestTls, 'key' | 'cert'>,
  handler: RequestListener,
): Promise<{ server: NetServer; port: number; close(): Promise<void> }> {
  const plain = createHttpServer(handler);
  const secure = createHttpsServer({ key: tls.key, cert: tls.cert }, handler);
  const ports = { plain: await listen(plain), secure: await listen(secure) };
  const server = createNetServer((socket) => {
    socket.once('data', (chunk: Buffer) => {
      const upstream = connect(chunk[0] === 0x16 ? ports.secure : ports.plain, '127.0.0.1');
      upstream.write(chunk);
      socket.pipe(upstream).pipe(socket);
      const end = () => {
        socket.destroy();
        upstream.destroy();
      };
      socket.on('error', end);
      upstream.on('error', end);
    });
  });
  const port = await listen(server);
  const close = async () => {
    for (const each of [server, plain, secure]) {
      (each as { closeAllConnections?: () => void }).closeAllConnections?.();
      await new Promise((resolve) => each.close(resolve));
    }
  };
  return { server, port, close };
}

function listen(server: NetServer): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      resolve(typeof address === 'object' && address ? address.port : 0);
    });
  });
}
