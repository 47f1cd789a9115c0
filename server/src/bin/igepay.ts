#!/usr/bin/env node
import { Command, InvalidArgumentError } from 'commander';
import {
  doctor,
  listEvents,
  listOrders,
  listRejected,
  reconcile,
  redeliver,
  showOrder,
  UsageError,
  verifyNotify,
} from '../cli/commands.js';
import { output } from '../cli/output.js';
import { ConfigError } from '../config/env.js';

// `igepay`: look after a signing server's orders and events from a terminal. Settings come from
// the environment, as the server's do (DATABASE_URL, IGEPAY_TOKEN, IGEPAY_FORWARD_URL).

function count(value: string): number {
  if (!/^\d{1,6}$/.test(value) || Number(value) === 0)
    throw new InvalidArgumentError('must be a whole number from 1');
  return Number(value);
}

const program = new Command('igepay')
  .description(
    'Orders, events and notifications of an igepay signing server (DATABASE_URL says which database).',
  )
  .option('--json', 'print JSON for scripts', false)
  .showHelpAfterError();
const json = () => Boolean(program.opts().json);

program
  .command('orders')
  .description('orders, newest first')
  .option('--status <status>', 'only orders in this status: pending, paid, failed, expired')
  .option('--since <when>', 'only orders created since a date (2026-11-26) or a span (30m, 24h, 7d)')
  .option('--limit <n>', 'at most this many', count, 50)
  .action((options) => listOrders(output(json()), process.env, options));

program
  .command('order')
  .description('one order, with its events')
  .argument('<order_id>')
  .action((orderId: string) => showOrder(output(json()), process.env, orderId));

program
  .command('events')
  .description('events for your app (order.paid, notification.unapplied) and their deliveries')
  .option('--limit <n>', 'at most this many', count, 50)
  .action((options) => listEvents(output(json()), process.env, options));

program
  .command('redeliver')
  .description('deliver an event again (same id, same body); the running server sends it')
  .argument('<event_id>')
  .action((eventId: string) => redeliver(output(json()), process.env, eventId));

program
  .command('reconcile')
  .description('notifications igepay signed that could not be applied, and late payments')
  .action(() => reconcile(output(json()), process.env));

program
  .command('doctor')
  .description('check a live configuration from this machine, and say what to fix before buyers pay')
  .option(
    '--resolve <host:address>',
    'reach host at address instead of looking it up (as curl --resolve), e.g. when this machine cannot reach its own public name',
    (value: string, previous: string[] = []) => [...previous, value],
  )
  .action(async (options) => {
    if (!(await doctor(output(json()), process.env, options))) process.exitCode = 2;
  });

program
  .command('rejected')
  .description('the most recent notifications answered "fail" (unreadable, or not validly signed), and why')
  .option('--limit <n>', 'at most this many', count, 20)
  .action((options) => listRejected(output(json()), process.env, options));

program
  .command('verify-notify')
  .description("check a captured notification's sign with IGEPAY_TOKEN, and say what is different")
  .option('--body <body>', 'the body as captured (form or JSON)')
  .option('--file <path>', 'a file holding the body (- for stdin)')
  .action(async (options) => {
    if (!(await verifyNotify(output(json()), process.env, options))) process.exitCode = 2;
  });

try {
  await program.parseAsync();
} catch (error) {
  if (error instanceof UsageError || error instanceof ConfigError) {
    process.stderr.write(`igepay: ${error.message}\n`);
    process.exitCode = 1;
  } else throw error;
}
