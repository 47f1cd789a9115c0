import { type ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';

/** The server's entry points, run as their own processes from source (no build needed). */
export const ENTRY = {
  main: join(import.meta.dirname, '..', 'main.ts'),
  start: join(import.meta.dirname, '..', 'start.ts'),
} as const;

/** A server process, with everything it printed so far (stdout and stderr). */
export interface ServerProcess {
  readonly child: ChildProcess;
  output(): string;
}

/** Runs `script` (an {@link ENTRY}) with only `env` (and PATH) in its environment. */
export function runEntry(env: Record<string, string>, script: string = ENTRY.main): ServerProcess {
  const child = spawn(process.execPath, ['--conditions=@igepay/source', '--import', 'tsx', script], {
    // From the server package, where tsx is installed.
    cwd: join(import.meta.dirname, '..', '..'),
    env: { PATH: process.env.PATH ?? '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (chunk) => {
    output += String(chunk);
  });
  child.stderr?.on('data', (chunk) => {
    output += String(chunk);
  });
  return { child, output: () => output };
}

/** Resolves with the address `server` printed it listens at; rejects if it exits or takes 15 s. */
export async function listeningAt(server: ServerProcess): Promise<string> {
  const deadline = Date.now() + 15_000;
  while (Date.now() < deadline) {
    const match = /Server listening at (http:\/\/127\.0\.0\.1:\d+)/.exec(server.output());
    if (match?.[1]) return match[1];
    if (server.child.exitCode !== null) break;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`server did not start:\n${server.output()}`);
}
