import { type ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';

const BIN = join(import.meta.dirname, '..', '..', 'src', 'bin');

/** The server's entry points, run as their own processes from source (no build needed). */
export const ENTRY = {
  main: join(BIN, 'serve.ts'),
  start: join(BIN, 'start.ts'),
  sandbox: join(BIN, 'sandbox.ts'),
  igepay: join(BIN, 'igepay.ts'),
} as const;

/** The server package's folder, where tsx is installed: entry processes run from it. */
export const SERVER_DIR = join(import.meta.dirname, '..', '..');

/** A server process, with everything it printed so far (stdout and stderr). */
export interface ServerProcess {
  readonly child: ChildProcess;
  output(): string;
}

/**
 * Runs `script` (an {@link ENTRY}) with only `env` (and PATH) in its environment; with
 * `fileLimit`, under that many file descriptors (`ulimit -n`), as a default system would give.
 */
export function runEntry(
  env: Record<string, string>,
  script: string = ENTRY.main,
  options: {
    readonly fileLimit?: number;
    readonly args?: readonly string[];
    /** Run it on a terminal (a pseudo-terminal of util-linux's `script`), as a person would. */
    readonly terminal?: boolean;
  } = {},
): ServerProcess {
  const node = [
    process.execPath,
    '--conditions=@igepay/source',
    '--import',
    'tsx',
    script,
    ...(options.args ?? []),
  ];
  const quoted = node.map((word) => `'${word.replaceAll("'", `'\\''`)}'`).join(' ');
  const [command, ...args] = options.terminal
    ? ['script', '-qefc', `exec ${quoted}`, '/dev/null']
    : options.fileLimit === undefined
      ? node
      : ['bash', '-c', `ulimit -n ${options.fileLimit} && exec "$@"`, 'bash', ...node];
  const child = spawn(command ?? process.execPath, args, {
    cwd: SERVER_DIR,
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

/** What a finished command printed, and its exit code. */
export interface CommandResult {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs the `igepay` CLI from source with only `env` (and PATH), `stdin` as its input. */
export function runCli(
  args: readonly string[],
  env: Record<string, string>,
  stdin = '',
  cwd = SERVER_DIR,
): Promise<CommandResult> {
  return new Promise((resolve) => {
    const child = spawn(
      process.execPath,
      // tsx by its address: the command may run in a folder with no node_modules.
      ['--conditions=@igepay/source', '--import', import.meta.resolve('tsx'), ENTRY.igepay, ...args],
      {
        cwd,
        env: { PATH: process.env.PATH ?? '', ...env },
      },
    );
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => {
      stdout += String(chunk);
    });
    child.stderr.on('data', (chunk) => {
      stderr += String(chunk);
    });
    child.stdin.end(stdin);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}
