import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { makeTestTls, type TlsMaterial } from '../../server/test/support/tls.js';

declare module 'vitest' {
  interface ProvidedContext {
    /** The run's test certificate, for HTTPS servers on loopback. */
    tls: TlsMaterial;
  }
}

/**
 * Makes one test CA and server certificate for the whole run, and has every test process
 * trust the CA (NODE_EXTRA_CA_CERTS is read when a process starts, and the test processes
 * start after this): the sandbox's notifications to an HTTPS shop then verify its certificate
 * as they would a real one's.
 */
export default function setup(project: TestProject): () => void {
  const tls = makeTestTls();
  // Added to what the machine already trusts this way (a registry proxy's CA, say), not instead:
  // npm in the packed-install test reaches the registry with these processes' trust.
  const machine = process.env.NODE_EXTRA_CA_CERTS;
  const trusted = join(dirname(tls.caFile), 'trusted.pem');
  writeFileSync(
    trusted,
    `${machine && existsSync(machine) ? `${readFileSync(machine, 'utf8').trimEnd()}\n` : ''}${readFileSync(tls.caFile, 'utf8')}`,
  );
  process.env.NODE_EXTRA_CA_CERTS = trusted;
  project.provide('tls', { key: tls.key, cert: tls.cert, spki: tls.spki, caFile: tls.caFile });
  return () => tls.cleanup();
}
