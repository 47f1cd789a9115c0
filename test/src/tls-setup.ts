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
  process.env.NODE_EXTRA_CA_CERTS = tls.caFile;
  project.provide('tls', { key: tls.key, cert: tls.cert, spki: tls.spki, caFile: tls.caFile });
  return () => tls.cleanup();
}
