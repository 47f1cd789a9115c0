#!/usr/bin/env node
import { enableCompileCache } from './compile-cache.js';

// Before the server's modules load (a static import would load them first).
enableCompileCache();
const { runServer } = await import('./run-server.js');

// The demo (`pnpm start`): the server in sandbox mode, with the simulator as the gateway.
await runServer({ ...process.env, IGEPAY_SANDBOX: '1' });
