#!/usr/bin/env node
import { enableCompileCache } from './compile-cache.js';
import { launch } from './launch.js';

// Before the server's modules load (launch imports them).
enableCompileCache();

// The signing server, configured from the environment (`pnpm serve`).
await launch(process.env);
