#!/usr/bin/env node
import { prewarmWriterThread } from '../store/sqlite/writer.js';
import { enableCompileCache } from './compile-cache.js';

// Before the server's modules load (a static import would load them first).
enableCompileCache();
// The store's writer thread starts on another core while this one loads the server.
prewarmWriterThread();
const { runServer } = await import('./run-server.js');

// The demo (`pnpm start`): the server in sandbox mode, with the simulator as the gateway.
await runServer({ ...process.env, IGEPAY_SANDBOX: '1' });
