/** Why the process is closing: a stop signal, or an error nothing caught. */
export interface CloseReason {
  readonly signal?: NodeJS.Signals;
  readonly err?: unknown;
}

/**
 * Closes the process gracefully on SIGTERM or SIGINT, or after an error nothing caught, or (run
 * through npx) when npx stops: `close`
 * runs once, then the process exits (0 after a signal, 1 after an error or a failed close), or
 * after `delay` ms whatever `close` is doing; a second signal exits at once. `close` says
 * what went wrong itself, through its own logger (which keeps secrets out).
 *
 * Our own, not close-with-grace: that one also listens to signals Deno refuses a listener for
 * (SIGILL, SIGSEGV), and adds its second-signal listener while the first signal is being
 * delivered, which Deno then delivers to as well, so the first SIGTERM exited at once.
 */
export function closeOnSignals(delay: number, close: (reason: CloseReason) => Promise<void>): void {
  let closing = false;
  const run = (reason: CloseReason, code: number) => {
    if (closing) {
      if (reason.signal) process.exit(1);
      return;
    }
    closing = true;
    setTimeout(() => process.exit(1), delay).unref();
    close(reason).then(
      () => process.exit(code),
      () => process.exit(1),
    );
  };
  for (const signal of ['SIGTERM', 'SIGINT'] as const) process.on(signal, () => run({ signal }, 0));
  // Started by `npx` (npm exec), which does not pass a signal on to its child: when npx is
  // stopped, the server is left to another parent. Its parent changing is then the stop.
  if (process.env.npm_command === 'exec') {
    const parent = process.ppid;
    setInterval(() => {
      if (process.ppid !== parent) run({ signal: 'SIGHUP' }, 0);
    }, 1000).unref();
  }
  process.on('uncaughtException', (err) => run({ err }, 1));
  process.on('unhandledRejection', (err) => run({ err }, 1));
}
