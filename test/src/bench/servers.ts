/**
 * The processes the benchmarks and the soak measure: the bare Fastify baseline, and the
 * signing server started exactly as `pnpm serve` starts it (the same Node flags, its own
 * `bin/serve.js`, settings from the environment, production logging to a file).
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { closeSync, openSync, readFileSync } from 'node:fs';
import { connect } from 'node:net';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { freePort } from '../free-port.js';
import { BENCH_TOKEN } from './token.js';

const ROOT = join(import.meta.dirname, '..', '..', '..');

/**
 * The Node flags of the root `serve` script (`node <flags> server/dist/bin/serve.js`) of this
 * checkout, or of the one at `root`: how that build's `pnpm serve` starts it.
 */
export function serveNodeFlags(root = ROOT): string[] {
  const scripts = (
    JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { scripts: Record<string, string> }
  ).scripts;
  const match = /\bnode((?:\s+--\S+)*)\s+server\/dist\/bin\/serve\.js/.exec(scripts.serve ?? '');
  if (!match) throw new Error('the root "serve" script does not run server/dist/bin/serve.js');
  return (match[1] ?? '').trim().split(/\s+/).filter(Boolean);
}

/** A server process being measured. */
export interface RunningServer {
  readonly child: ChildProcess;
  readonly url: string;
  /** Milliseconds from spawning the process to it listening. */
  readonly startMs: number;
}

/**
 * Spawns `args` and resolves once `port` accepts connections: the moment a server is ready
 * to serve (Fastify listens only after every plugin is ready). Both servers are timed this
 * way, so neither figure depends on how soon a process prints.
 */
async function spawnListening(
  args: string[],
  port: number,
  options: { stdout: number | 'ignore'; env?: NodeJS.ProcessEnv; cwd?: string },
): Promise<RunningServer> {
  const started = performance.now();
  const child = spawn(process.execPath, args, {
    stdio: ['ignore', options.stdout, 'inherit'],
    env: options.env,
    cwd: options.cwd,
  });
  let gone = false;
  child.once('exit', () => {
    gone = true;
  });
  for (;;) {
    const socket = connect(port, '127.0.0.1');
    const accepted = await new Promise<boolean>((resolve) => {
      socket.once('connect', () => resolve(true));
      socket.once('error', () => resolve(false));
    });
    socket.destroy();
    if (accepted) return { child, url: `http://127.0.0.1:${port}`, startMs: performance.now() - started };
    if (gone) throw new Error(`${args.join(' ')} exited before listening`);
    await sleep(2);
  }
}

/** Starts the bare Fastify baseline. */
export async function startBare(): Promise<RunningServer> {
  const port = await freePort();
  return spawnListening([join(import.meta.dirname, 'bare.js'), String(port)], port, { stdout: 'ignore' });
}

/**
 * Starts the floor (`floor.ts`): a bare Fastify process whose routes only write, durably, to
 * the SQLite file `dbPath` (a copy of the signing server's database, not the same file).
 */
export async function startFloor(dbPath: string): Promise<RunningServer> {
  const port = await freePort();
  return spawnListening([join(import.meta.dirname, 'floor.js'), String(port), dbPath], port, {
    stdout: 'ignore',
  });
}

/**
 * Starts the signing server on the SQLite file `dbPath`, with the rate limit off (one client
 * sends everything) and logging at `info` into `logFile`, as a service manager would keep it.
 */
export async function startSigningServer(
  dbPath: string,
  logFile: string,
  env: Record<string, string> = {},
  /** The server's entry point; default this checkout's (another's, to compare builds). */
  entry = join(ROOT, 'server', 'dist', 'bin', 'serve.js'),
  /** Its Node flags; default this checkout's `serve` script's. */
  flags = serveNodeFlags(),
): Promise<RunningServer> {
  const port = await freePort();
  const log = openSync(logFile, 'w');
  try {
    return await spawnListening([...flags, entry], port, {
      stdout: log,
      env: {
        PATH: process.env.PATH ?? '',
        IGEPAY_UID: '10001',
        IGEPAY_TOKEN: BENCH_TOKEN,
        PUBLIC_URL: 'http://shop.example.com',
        DATABASE_URL: `sqlite:${dbPath}`,
        IGEPAY_RATE_LIMIT: '0',
        HOST: '127.0.0.1',
        PORT: String(port),
        LOG_LEVEL: 'info',
        ...env,
      },
    });
  } catch (error) {
    throw new Error(`${(error as Error).message}:\n${readFileSync(logFile, 'utf8')}`);
  } finally {
    closeSync(log);
  }
}

/**
 * Starts the demo shop as `pnpm start` does (sandbox mode), with its data in `dir`, quiet. The
 * rate limit is off: a page audit asks for the config more often than a buyer would.
 */
export async function startDemoShop(dir: string): Promise<RunningServer> {
  const port = await freePort();
  return spawnListening([join(ROOT, 'server', 'dist', 'bin', 'start.js')], port, {
    stdout: 'ignore',
    cwd: dir,
    env: {
      PATH: process.env.PATH ?? '',
      HOST: '127.0.0.1',
      PORT: String(port),
      IGEPAY_RATE_LIMIT: '0',
      LOG_LEVEL: 'warn',
    },
  });
}

/** Stops a server with SIGTERM (the signing server commits what it holds) and waits for it. */
export async function stopServer(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = once(child, 'exit');
  child.kill('SIGTERM');
  await exited;
}
