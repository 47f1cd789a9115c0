#!/usr/bin/env node
import { enableCompileCache } from './compile-cache.js';
import { launch } from './launch.js';

// Before the server's modules load (launch imports them).
enableCompileCache();

// The demo (`pnpm start`): the server in sandbox mode, with the simulator as the gateway.
await launch({ ...process.env, IGEPAY_SANDBOX: '1' });
