#!/usr/bin/env node
import { runServer } from './run-server.js';

// The signing server, configured from the environment (`pnpm serve`).
await runServer(process.env);
