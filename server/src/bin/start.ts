#!/usr/bin/env node
import { runServer } from './run-server.js';

// The demo (`pnpm start`): the server in sandbox mode, with the simulator as the gateway.
await runServer({ ...process.env, IGEPAY_SANDBOX: '1' });
