import { lookup } from 'node:dns/promises';
import { HEALTH_PATH } from '@igepay/shared';
import { type Config, ConfigError, describeError, loadConfig, wantsSandbox } from '../config/config.js';
import { isLocalHost, isPrivateAddress, liveWarnings, servesHttpsPages } from '../config/live-warnings.js';
import { openStore } from '../store/open-store.js';
import { type ProbeAnswer, ProbeError, probe } from './http-probe.js';

/** How one check came out: `fail` blocks going live, `warn` is worth fixing. */
export type CheckStatus = 'pass' | 'warn' | 'fail';

/** One line of the doctor's report. */
export interface Check {
  readonly name: string;
  readonly status: CheckStatus;
  /** What was found, and for `warn` and `fail` what to do. */
  readonly message: string;
}

/** The doctor's report: `ok` when nothing blocks going live. */
export interface DoctorReport {
  readonly ok: boolean;
  readonly checks: readonly Check[];
}

/** Options for {@link runDoctor}. */
export interface DoctorOptions {
  /** Host names to reach at another address (`--resolve host:address`). */
  readonly resolve?: ReadonlyMap<string, string>;
  /** Per request. Default 5 s. */
  readonly timeoutMs?: number;
  /** The clock to judge (tests). Default `Date.now`. */
  readonly now?: () => number;
}

/** How far the clock may be from the gateway's before expiry and event timestamps suffer. */
const CLOCK_FAIL_MS = 5 * 60_000;
const CLOCK_WARN_MS = 60_000;

/**
 * Checks a live configuration (`igepay doctor`) from this machine, one line per check, each
 * saying what to fix (docs/first-live-payment.md): the settings; the database (it opens and
 * takes a write); `PUBLIC_URL` (reachable by name, and its `/healthz` answers); the gateway's
 * `https://` address; the clock against the gateway's; the allowed origins; the forward URL; the
 * reverse proxy's trust.
 */
export async function runDoctor(
  env: Record<string, string | undefined>,
  options: DoctorOptions = {},
): Promise<DoctorReport> {
  const checks: Check[] = [];
  const add = (name: string, status: CheckStatus, message: string) => checks.push({ name, status, message });
  const now = options.now ?? Date.now;
  const http = (url: string, extra: Parameters<typeof probe>[1] = {}) =>
    probe(url, {
      ...extra,
      ...(options.resolve && { resolve: options.resolve }),
      timeoutMs: options.timeoutMs ?? 5_000,
    });

  // 1. Settings.
  if (wantsSandbox(env)) {
    add(
      'settings',
      'fail',
      'IGEPAY_SANDBOX=1 is set: that is the sandbox, where no money moves. Unset it to check a live configuration.',
    );
    return { ok: false, checks };
  }
  let config: Config;
  try {
    config = loadConfig(env);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    add('settings', 'fail', `${error.message}. Fix it, then run igepay doctor again.`);
    return { ok: false, checks };
  }
  // Why a probe got no answer, in words.
  const whyNot = (error: unknown) =>
    error instanceof ProbeError ? error.message : describeError(error, config);
  const token = config.token.reveal();
  if (/^[0-9a-f]{40}$/i.test(token)) {
    add(
      'settings',
      'pass',
      `live merchant ${config.uid}; the token has the 40 hexadecimal characters of an igepay token`,
    );
  } else {
    add(
      'settings',
      'warn',
      `live merchant ${config.uid}; IGEPAY_TOKEN is not 40 hexadecimal characters, as igepay's tokens are: check it was copied whole from igepay's settings page`,
    );
  }

  // 2. The database takes a write.
  try {
    const store = await openStore(config.database);
    try {
      await store.probeWrite();
    } finally {
      await store.close();
    }
    add('database', 'pass', `${config.database.engine} opens, is up to date and takes a write`);
  } catch (error) {
    add(
      'database',
      'fail',
      `${config.database.engine} cannot be used: ${describeError(error, config)}. Check DATABASE_URL and that the server may write there.`,
    );
  }

  // 3. PUBLIC_URL: igepay's way in.
  const publicUrl = new URL(config.publicUrl);
  let clockFrom: { what: string; answer: ProbeAnswer } | undefined;
  const blockers = liveWarnings(config).filter((w) => w.setting === 'PUBLIC_URL');
  for (const warning of blockers) add('public url', warning.blocking ? 'fail' : 'warn', warning.message);
  if (!isLocalHost(publicUrl.hostname)) {
    const resolved = options.resolve?.get(publicUrl.hostname);
    try {
      const addresses = resolved
        ? [resolved]
        : (await lookup(publicUrl.hostname, { all: true })).map((a) => a.address);
      if (addresses.every(isPrivateAddress)) {
        add(
          'public url',
          'warn',
          `${publicUrl.hostname} is ${addresses.join(', ')} from here, a private address: make sure it is public where igepay looks it up`,
        );
      }
    } catch {
      add(
        'public url',
        'fail',
        `${publicUrl.hostname} does not resolve: PUBLIC_URL must be a name igepay can look up`,
      );
    }
  }
  const healthUrl = `${config.publicUrl}${HEALTH_PATH}`;
  try {
    const answer = await http(healthUrl);
    const health = (() => {
      try {
        return JSON.parse(answer.body) as { status?: string; sandbox?: boolean };
      } catch {
        return undefined;
      }
    })();
    if (answer.status === 200 && health?.status === 'ok' && !health.sandbox) {
      add('public url', 'pass', `${healthUrl} answers: this server is reachable at PUBLIC_URL`);
      clockFrom ??= { what: 'the server at PUBLIC_URL', answer };
    } else if (health?.sandbox) {
      add(
        'public url',
        'fail',
        `${healthUrl} is a server in sandbox mode: point PUBLIC_URL at the live server`,
      );
    } else {
      add(
        'public url',
        'fail',
        `${healthUrl} answers HTTP ${answer.status}, not an igepay server that is up: check PUBLIC_URL and the proxy in front of the server`,
      );
    }
  } catch (error) {
    const why = whyNot(error);
    const fix =
      error instanceof ProbeError && error.certificate
        ? 'serve a certificate that igepay and browsers trust for this name'
        : 'start the server, and check that PUBLIC_URL is its public address';
    add('public url', 'fail', `${healthUrl} does not answer (${why}): ${fix}`);
  }

  // 4. The gateway, over https if it can be had.
  const pagesAreHttps = servesHttpsPages(config);
  const gateway = new URL(config.gatewayUrl);
  const httpsGateway = new URL(gateway);
  httpsGateway.protocol = 'https:';
  if (gateway.protocol === 'http:' && httpsGateway.port === '80') httpsGateway.port = '';
  const reach = async (url: string) => {
    try {
      return { answer: await http(url) };
    } catch (error) {
      return { why: whyNot(error) };
    }
  };
  const overTls = await reach(httpsGateway.href);
  if (overTls.answer) clockFrom = { what: 'the gateway', answer: overTls.answer };
  if (gateway.protocol === 'https:') {
    if (overTls.answer) add('gateway', 'pass', `${gateway.href} answers over https`);
    else add('gateway', 'fail', `${gateway.href} does not answer (${overTls.why}): check IGEPAY_GATEWAY_URL`);
  } else if (overTls.answer) {
    add(
      'gateway',
      pagesAreHttps ? 'fail' : 'warn',
      `the gateway answers at ${httpsGateway.href}, but IGEPAY_GATEWAY_URL is ${gateway.href}: set IGEPAY_GATEWAY_URL=${httpsGateway.href}${pagesAreHttps ? ', or browsers stop buyers on your https pages with a "not secure" warning' : ''}`,
    );
  } else {
    const plain = await reach(gateway.href);
    if (plain.answer) {
      clockFrom = { what: 'the gateway', answer: plain.answer };
      add(
        'gateway',
        'warn',
        `${gateway.href} answers, but not over https (${overTls.why})${pagesAreHttps ? ': buyers on your https pages will see a "not secure" warning before igepay' : ''}`,
      );
    } else {
      add(
        'gateway',
        'fail',
        `${gateway.href} does not answer (${plain.why}), nor its https address: check IGEPAY_GATEWAY_URL and this machine's internet access`,
      );
    }
  }

  // 5. The clock: expiry, and the timestamps on signed events, depend on it.
  if (clockFrom?.answer.date === undefined) {
    add('clock', 'warn', 'could not compare the clock: nothing answered with a Date header');
  } else {
    const skew = now() - clockFrom.answer.date;
    const seconds = Math.round(Math.abs(skew) / 1000);
    const text = `${seconds} s ${skew > 0 ? 'ahead of' : 'behind'} ${clockFrom.what}`;
    if (Math.abs(skew) > CLOCK_FAIL_MS)
      add(
        'clock',
        'fail',
        `this machine's clock is ${text}: synchronise it (NTP); expiry and the timestamps of signed events depend on it`,
      );
    else if (Math.abs(skew) > CLOCK_WARN_MS)
      add('clock', 'warn', `this machine's clock is ${text}: synchronise it (NTP)`);
    else add('clock', 'pass', `within ${Math.max(seconds, 1)} s of ${clockFrom.what}`);
  }

  // 6. The pages that may embed the button.
  const plainOrigins = config.allowedOrigins.filter(
    (origin) => origin.startsWith('http:') && !isLocalHost(new URL(origin).hostname),
  );
  if (env.IGEPAY_ALLOWED_ORIGINS === undefined || env.IGEPAY_ALLOWED_ORIGINS === '') {
    add(
      'allowed origins',
      'warn',
      `only pages on ${config.allowedOrigins.join(', ')} may use the button: set IGEPAY_ALLOWED_ORIGINS to your shop's origins (e.g. https://shop.example.com)`,
    );
  } else if (plainOrigins.length > 0) {
    // Anyone on the way can rewrite an http:// page: the button, the server it talks to, the
    // amount it shows. Buyers pay from https:// pages only.
    add(
      'allowed origins',
      'fail',
      `${plainOrigins.join(', ')} ${plainOrigins.length > 1 ? 'are' : 'is'} http://: anyone on the way can rewrite such a page and its button; serve your shop over https:// and name that origin`,
    );
  } else {
    add('allowed origins', 'pass', config.allowedOrigins.join(', '));
  }

  // 7. Where events go.
  if (!config.forward) {
    add(
      'forward url',
      'pass',
      'not set: your app learns of payments through onPaid or igepay orders (optional)',
    );
  } else {
    const { url } = config.forward;
    try {
      // An unsigned, empty event: a receiver that verifies signatures refuses it, which is the point.
      const answer = await http(url, {
        method: 'POST',
        body: '{}',
        headers: { 'content-type': 'application/json' },
      });
      if (answer.status >= 500 || answer.status === 404) {
        add(
          'forward url',
          'warn',
          `${url} answers HTTP ${answer.status} to an unsigned test event: check the path and your app's logs`,
        );
      } else {
        add('forward url', 'pass', `${url} answers (HTTP ${answer.status} to an unsigned test event)`);
      }
    } catch (error) {
      const why = whyNot(error);
      add(
        'forward url',
        'fail',
        `${url} does not answer (${why}): your app would not hear of payments; check IGEPAY_FORWARD_URL`,
      );
    }
  }

  // 8. The proxy in front: listening on loopback, buyers can only come through one.
  if (isLoopbackHost(config.host) && !isLocalHost(publicUrl.hostname)) {
    if (config.trustProxy === undefined) {
      add(
        'proxy',
        'warn',
        `HOST=${config.host}: buyers come through a reverse proxy, which IGEPAY_TRUST_PROXY does not name, so every buyer is one client to the rate and connection limits; set IGEPAY_TRUST_PROXY=127.0.0.1 (docs/reverse-proxy.md)`,
      );
    } else
      add('proxy', 'pass', `the reverse proxy is trusted (IGEPAY_TRUST_PROXY=${env.IGEPAY_TRUST_PROXY})`);
  }

  return { ok: checks.every((check) => check.status !== 'fail'), checks };
}

function isLoopbackHost(host: string): boolean {
  return host === 'localhost' || host === '::1' || host.startsWith('127.');
}
