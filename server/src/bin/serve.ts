#!/usr/bin/env node
import { enableCompileCache } from './compile-cache.js';

// Before the server's modules load (a static import would load them first).
enableCompileCache();
const { runServer } = await import('./run-server.js');

// The signing server, configured from the environment (`pnpm serve`).
await runServer(process.env);
