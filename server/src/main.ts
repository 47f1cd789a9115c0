#!/usr/bin/env node
import { runServer } from './run.js';

// The signing server, configured from the environment (`pnpm serve`).
await runServer(process.env);
