import { createRequire } from 'node:module';

/**
 * `node:http`, loaded as CommonJS. Its ES module facade reads every export once, and on Node 24
 * that includes the lazy `WebSocket` ones, which load the runtime's whole fetch implementation
 * (undici): about 20 ms of every start-up, for nothing the server uses.
 */
export const http: typeof import('node:http') = createRequire(import.meta.url)('node:http');
