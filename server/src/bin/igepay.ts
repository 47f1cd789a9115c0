#!/usr/bin/env node
import { readFileSync } from 'node:fs';
import { Command, InvalidArgumentError } from 'commander';
import { output } from '../cli/output.js';
import { enableCompileCache } from './compile-cache.js';

// `igepay`: look after a signing server's orders and events from a terminal. Settings come from
// the environment, as the server's do (DATABASE_URL, IGEPAY_TOKEN, IGEPAY_FORWARD_URL).

// Each command (settings, stores, zod) loads when it runs: --help and --version need only commander.
enableCompileCache();
const command = <T>(name: string) => import(`../cli/commands/${name}.js`) as Promise<T>;
type Commands = {
  orders: typeof import('../cli/commands/orders.js');
  order: typeof import('../cli/commands/order.js');
  events: typeof import('../cli/commands/events.js');
  redeliver: typeof import('../cli/commands/redeliver.js');
  reconcile: typeof import('../cli/commands/reconcile.js');
  doctor: typeof import('../cli/commands/doctor.js');
  rejected: typeof import('../cli/commands/rejected.js');
  backup: typeof import('../cli/commands/backup.js');
  'verify-notify': typeof import('../cli/commands/verify-notify.js');
  'hash-password': typeof import('../cli/commands/hash-password.js');
  'sign-out-all': typeof import('../cli/commands/sign-out-all.js');
};
const load = <K extends keyof Commands>(name: K) => command<Commands[K]>(name);

function count(value: string): number {
  if (!/^\d{1,6}$/.test(value) || Number(value) === 0)
    throw new InvalidArgumentError('must be a whole number from 1');
  return Number(value);
}

// The package's own manifest: ../../package.json from src/bin and from dist/bin alike.
const { version } = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {
  version: string;
};

const program = new Command('igepay')
  .description(
    'Run an igepay signing server, and look after its orders, events and notifications (DATABASE_URL says which database).',
  )
  .version(version, '-V, --version', 'print the version of @igepay/server')
  .option('--json', 'print JSON for scripts', false)
  .showHelpAfterError();
const json = () => Boolean(program.opts().json);

program
  .command('serve')
  .description('run the signing server, configured from the environment (IGEPAY_SANDBOX=1 for the sandbox)')
  .action(async () => {
    // Loaded only to serve: the other commands start without Fastify.
    const { launch } = await import('./launch.js');
    await launch(process.env);
  });

program
  .command('orders')
  .description('orders, newest first')
  .option('--status <status>', 'only orders in this status: pending, paid, failed, expired')
  .option('--since <when>', 'only orders created since a date (2026-11-26) or a span (30m, 24h, 7d)')
  .option('--limit <n>', 'at most this many', count, 50)
  .action(async (options) => (await load('orders')).listOrders(output(json()), process.env, options));

program
  .command('order')
  .description('one order, with its events')
  .argument('<order_id>')
  .action(async (orderId: string) => (await load('order')).showOrder(output(json()), process.env, orderId));

program
  .command('events')
  .description('events for your app (order.paid, notification.unapplied) and their deliveries')
  .option('--limit <n>', 'at most this many', count, 50)
  .action(async (options) => (await load('events')).listEvents(output(json()), process.env, options));

program
  .command('redeliver')
  .description('deliver an event again (same id, same body); the running server sends it')
  .argument('<event_id>')
  .action(async (eventId: string) =>
    (await load('redeliver')).redeliver(output(json()), process.env, eventId),
  );

program
  .command('reconcile')
  .description('notifications igepay signed that could not be applied, and late payments')
  .action(async () => (await load('reconcile')).reconcile(output(json()), process.env));

program
  .command('doctor')
  .description('check a live configuration from this machine, and say what to fix before buyers pay')
  .option(
    '--resolve <host:address>',
    'reach host at address instead of looking it up (as curl --resolve), e.g. when this machine cannot reach its own public name',
    (value: string, previous: string[] = []) => [...previous, value],
  )
  .action(async (options) => {
    if (!(await (await load('doctor')).doctor(output(json()), process.env, options))) process.exitCode = 2;
  });

program
  .command('rejected')
  .description('the most recent notifications answered "fail" (unreadable, or not validly signed), and why')
  .option('--limit <n>', 'at most this many', count, 20)
  .action(async (options) => (await load('rejected')).listRejected(output(json()), process.env, options));

program
  .command('backup')
  .description('copy the SQLite database to a new file, consistently, while the server runs')
  .argument('<file>', 'where the copy goes (a file that does not exist yet)')
  .action(async (file: string) => (await load('backup')).backup(output(json()), process.env, file));

program
  .command('verify-notify')
  .description("check a captured notification's sign with IGEPAY_TOKEN, and say what is different")
  .option('--body <body>', 'the body as captured (form or JSON)')
  .option('--file <path>', 'a file holding the body (- for stdin)')
  .action(async (options) => {
    if (!(await (await load('verify-notify')).verifyNotify(output(json()), process.env, options)))
      process.exitCode = 2;
  });

const admin = program.command('admin').description('the dashboard at /admin');
admin
  .command('hash-password')
  .description(
    'make the IGEPAY_ADMIN_PASSWORD_HASH of a password (asked on a terminal, else read from stdin)',
  )
  .action(async () => (await load('hash-password')).hashPasswordCommand(output(json())));
admin
  .command('sign-out-all')
  .description('end every dashboard session now (a new password hash ends them too, at restart)')
  .action(async () => (await load('sign-out-all')).signOutAll(output(json()), process.env));

try {
  await program.parseAsync();
} catch (error) {
  const { UsageError } = await import('../cli/usage-error.js');
  if (error instanceof UsageError) {
    process.stderr.write(`igepay: ${error.message}\n`);
    process.exitCode = 1;
  } else throw error;
}
