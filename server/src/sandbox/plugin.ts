import formbody from '@fastify/formbody';
import { formatPrice, GATEWAY_PAY_PATH } from '@igepay/shared';
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { newNonce } from '../pages/html.js';
import { GatewayError } from './errors.js';
import { parseUtf8Form } from './form-parser.js';
import type { JournalEntry } from './journal.js';
import { renderCashier } from './pages/cashier.js';
import { renderErrorPage } from './pages/error-page.js';
import { renderHomePage } from './pages/home-page.js';
import { renderInspectPage } from './pages/inspect-page.js';
import { langOf, simulatorPageHeaders, withLang } from './pages/layout.js';
import { type Payment, paymentState } from './payments.js';
import { type Fault, PAY_FAULTS, type PayFault } from './settings.js';
import type { GatewaySimulator } from './simulator.js';

/** Options of {@link gatewaySimulatorPlugin}. */
export interface GatewaySimulatorPluginOptions {
  readonly simulator: GatewaySimulator;
  /**
   * The simulator's public base URL (with its prefix), for the links it hands out: the QR
   * code and `pay_url`. Default: the origin each request came to.
   */
  readonly publicUrl?: string;
}

const PAY_NUM = /^\d{20}$/;

/** True when the client asked for the gateway's JSON replies rather than pages. */
function wantsJson(request: FastifyRequest): boolean {
  const accept = request.headers.accept ?? '';
  return accept.includes('application/json') && !accept.includes('text/html');
}

/** A payment as the JSON replies describe it. */
function summary(payment: Payment, now: number, payUrl: string) {
  return {
    pay_num: payment.payNum,
    order_id: payment.request.order_id,
    price: formatPrice(payment.priceCents),
    channel: payment.channel,
    state: paymentState(payment, now),
    pay_url: payUrl,
    faults: [...payment.faults],
    return_at: payment.redirectAt === undefined ? null : new Date(payment.redirectAt).toISOString(),
    deliveries: payment.deliveries.map((d) => ({
      copy: d.copy,
      state: d.state,
      attempts: d.attempts,
      last_reply: d.lastReply ?? null,
      next_attempt_at: d.nextAt === undefined ? null : new Date(d.nextAt).toISOString(),
    })),
  };
}

/** A journal entry in the JSON replies: snake_case names and ISO times, like the rest. */
function entryJson(entry: JournalEntry): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(entry).map(([name, value]) => [
      name.replace(/[A-Z]/g, (letter) => `_${letter.toLowerCase()}`),
      name === 'at' ? new Date(value as number).toISOString() : value,
    ]),
  );
}

/** The faults the buyer chose on the pay page, or the configured ones when none were offered. */
function chosenFaults(body: unknown, defaults: ReadonlySet<Fault>): Set<Fault> {
  const fields = (typeof body === 'object' && body !== null ? body : {}) as Record<string, unknown>;
  if (fields.fault === undefined && fields.faults_chosen === undefined) return new Set(defaults);
  const values =
    fields.fault === undefined ? [] : Array.isArray(fields.fault) ? fields.fault : [fields.fault];
  const faults = new Set<Fault>();
  for (const value of values) {
    if (!PAY_FAULTS.includes(value as PayFault)) {
      throw new GatewayError('INVALID_FIELDS', [`fault: must be one of ${PAY_FAULTS.join(', ')}`]);
    }
    faults.add(value as PayFault);
  }
  return faults;
}

/** Fastify's own refusals (wrong content type, body too large, broken JSON) as gateway errors. */
function asGatewayError(error: unknown): GatewayError | undefined {
  if (error instanceof GatewayError) return error;
  const { statusCode, message } = error as { statusCode?: number; message?: string };
  if (statusCode === 415) return new GatewayError('BAD_ENCODING', ['unsupported content type']);
  if (statusCode !== undefined && statusCode >= 400 && statusCode < 500) {
    return new GatewayError('INVALID_FIELDS', [String(message ?? 'bad request').slice(0, 200)]);
  }
  return undefined;
}

/**
 * The igepay gateway simulator's routes: the pay page endpoint, the cashier page and its
 * buttons, and the inspection page. Register it under a prefix (the server uses `/sandbox`).
 */
export const gatewaySimulatorPlugin: FastifyPluginAsync<GatewaySimulatorPluginOptions> = async (
  app,
  options,
) => {
  const { simulator } = options;
  const prefix = app.prefix;
  const payPagePath = (payNum: string) => `${prefix}/pay/${payNum}`;
  // With a public URL configured, a phone on the network can open the QR code even when the
  // desktop browser came through localhost.
  const absolute = (request: FastifyRequest, path: string) =>
    options.publicUrl === undefined
      ? `${request.protocol}://${request.host}${path}`
      : `${options.publicUrl}${path.slice(prefix.length)}`;

  await app.register(formbody, { parser: parseUtf8Form });
  app.addHook('onClose', async () => simulator.close());

  app.setErrorHandler((error, request, reply) => {
    const refusal = asGatewayError(error);
    if (!refusal) {
      request.log.error({ err: error }, 'sandbox simulator failed');
      return reply.status(500).send({ msg: 'sandbox simulator error', code: 5000 });
    }
    return refuse(request, reply, refusal);
  });

  function refuse(request: FastifyRequest, reply: FastifyReply, error: GatewayError) {
    const lang = langOf(request);
    if (wantsJson(request))
      return reply.status(error.statusCode).send({ msg: error.text(lang), code: error.code });
    return reply.status(error.statusCode).headers(simulatorPageHeaders()).send(renderErrorPage(error, lang));
  }

  function findPayment(params: unknown): Payment {
    const { payNum } = params as { payNum: string };
    if (!PAY_NUM.test(payNum)) throw new GatewayError('NOT_FOUND');
    return simulator.get(payNum);
  }

  /** A buyer's action answered: JSON for scripts, otherwise back to the pay page (POST-redirect-GET). */
  function afterAction(request: FastifyRequest, reply: FastifyReply, payment: Payment) {
    const path = payPagePath(payment.payNum);
    if (wantsJson(request)) {
      return reply.send({
        msg: 'ok',
        code: 0,
        ...summary(payment, simulator.now(), absolute(request, path)),
      });
    }
    return reply.redirect(withLang(path, langOf(request)), 303);
  }

  app.get('/', async (request, reply) =>
    reply.headers(simulatorPageHeaders()).send(
      renderHomePage({
        lang: langOf(request),
        path: `${prefix}/`,
        payUrl: absolute(request, `${prefix}${GATEWAY_PAY_PATH}`),
        inspectPath: `${prefix}/inspect`,
        merchantUid: simulator.merchant.uid,
      }),
    ),
  );

  // The browser's form POST of docs/protocol.md §1.1 (or a script asking for JSON).
  app.post(GATEWAY_PAY_PATH, async (request, reply) => {
    const { payment } = simulator.receive(request.body);
    return afterAction(request, reply, payment);
  });

  app.get('/pay/:payNum', async (request, reply) => {
    const payment = findPayment(request.params);
    const path = payPagePath(payment.payNum);
    const now = simulator.now();
    if (wantsJson(request))
      return reply.send({ msg: 'ok', code: 0, ...summary(payment, now, absolute(request, path)) });
    const nonce = newNonce();
    return reply.headers(simulatorPageHeaders(nonce)).send(
      renderCashier({
        payment,
        now,
        lang: langOf(request),
        pageUrl: absolute(request, path),
        pagePath: path,
        inspectPath: `${prefix}/inspect?order_id=${encodeURIComponent(payment.request.order_id)}`,
        merchantUid: simulator.merchant.uid,
        defaultFaults: simulator.settings.faults,
        nonce,
      }),
    );
  });

  app.post('/pay/:payNum/pay', async (request, reply) => {
    const payment = findPayment(request.params);
    const { notified } = simulator.pay(payment.payNum, chosenFaults(request.body, simulator.settings.faults));
    // Unless the notification is meant to be late, answer after it went out, as igepay does.
    if (!payment.faults.has('delay') && !payment.faults.has('redirect-first')) await notified;
    return afterAction(request, reply, payment);
  });

  app.post('/pay/:payNum/cancel', async (request, reply) => {
    const payment = simulator.cancel(findPayment(request.params).payNum);
    return afterAction(request, reply, payment);
  });

  app.get('/inspect', async (request, reply) => {
    const { order_id: orderId } = request.query as { order_id?: unknown };
    const filter = { orderId: typeof orderId === 'string' ? orderId : undefined };
    const now = simulator.now();
    const payments = simulator.payments.list(filter);
    const entries = simulator.journal.list(filter);
    if (wantsJson(request)) {
      return reply.header('cache-control', 'no-store').send({
        payments: payments.map((p) => summary(p, now, absolute(request, payPagePath(p.payNum)))),
        entries: entries.map(entryJson),
      });
    }
    return reply.headers(simulatorPageHeaders()).send(
      renderInspectPage({
        lang: langOf(request),
        now,
        payments,
        entries,
        orderId: filter.orderId,
        path: `${prefix}/inspect`,
        payPath: payPagePath,
      }),
    );
  });
};
