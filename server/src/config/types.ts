/** The server's settings, as the rest of the server reads them. */
import type { FastifyPluginAsync } from 'fastify';
import type { Catalog } from './catalog.js';
import type { DatabaseConfig } from './database.js';
import type { PasswordHash } from './password-hash.js';
import type { Secret } from './secret.js';
import type { TrustProxy } from './trust-proxy.js';

/** The server's settings, parsed once from the environment (docs/protocol.md §2.1). */
export interface Config {
  readonly port: number;
  readonly host: string;
  /** Base URL without a trailing slash; `notify_url` and `return_url` are built from it. */
  readonly publicUrl: string;
  readonly uid: string;
  readonly token: Secret;
  readonly gatewayUrl: string;
  readonly signOrderUid: boolean;
  /**
   * Refuse a payment whose echoed `key` is not the order's (`IGEPAY_STRICT_KEY_ECHO=1`): for a
   * gateway known to echo it. Off by default: the key authenticates nothing (docs/protocol.md §1.6).
   */
  readonly strictKeyEcho: boolean;
  readonly database: DatabaseConfig;
  readonly catalog: Catalog;
  /**
   * Whether a checkout may name its own `price` (`IGEPAY_OPEN_AMOUNTS`). Off by default when
   * `IGEPAY_PRODUCTS` names a catalog: a shop that sells products takes no other amount.
   */
  readonly openAmounts: boolean;
  readonly minPriceCents: number;
  readonly maxPriceCents: number;
  readonly allowedOrigins: readonly string[];
  /** Checkouts per minute per client address (an IPv6 client's /64); `0` means no limit. */
  readonly rateLimitPerMinute: number;
  /**
   * The reverse proxies believed about the client's address (`IGEPAY_TRUST_PROXY`), as hops or
   * addresses; without it `X-Forwarded-*` headers are ignored and the peer is the client.
   */
  readonly trustProxy: TrustProxy | undefined;
  /**
   * Open connections the standalone server holds at most (`IGEPAY_MAX_CONNECTIONS`); by default
   * what the file-descriptor limit leaves. Long polls may take half.
   */
  readonly maxConnections: number;
  /** Open connections one client address may hold (`IGEPAY_MAX_CONNECTIONS_PER_CLIENT`); trusted proxies are exempt. */
  readonly maxConnectionsPerClient: number;
  /**
   * Where Prometheus metrics are served, if anywhere: on a port of their own
   * (`IGEPAY_METRICS_PORT`, on `IGEPAY_METRICS_HOST`), and/or at `/metrics` for a bearer token
   * (`IGEPAY_METRICS_TOKEN`). Never to anyone who asks.
   */
  readonly metrics: MetricsConfig | undefined;
  /** This process's file-descriptor limit, when it can be read: warned about at start when low. */
  readonly fileDescriptorLimit: number | undefined;
  readonly orderTtlMs: number;
  /**
   * How long after an order expires the buyer's page keeps waiting for a late payment
   * (`IGEPAY_LATE_PAYMENT_MINUTES`): igepay may still take a payment begun just before expiry. A
   * payment later than this is recorded all the same; only the page has stopped waiting.
   */
  readonly latePaymentMs: number;
  /** pino level of the server log. */
  readonly logLevel: string;
  /**
   * Sandbox mode (`IGEPAY_SANDBOX=1`, set up by `@igepay/server/sandbox`): the simulator is
   * the gateway and `uid` and `token` are the sandbox merchant's. No real money moves.
   */
  readonly sandbox: SandboxMode | undefined;
  /** Where paid orders and unapplied notifications are sent as signed events, if anywhere. */
  readonly forward: ForwardConfig | undefined;
  /** The dashboard at `/admin`: off unless `IGEPAY_ADMIN_PASSWORD_HASH` is set. */
  readonly admin: AdminConfig | undefined;
}

/** See {@link Config.admin}. */
export interface AdminConfig {
  /** The hash the sign-in password is checked against (`igepay admin hash-password`). */
  readonly passwordHash: PasswordHash;
  /** The setting as given, only to keep it out of every log line and message. */
  readonly passwordHashText: Secret;
}

/** See {@link Config.metrics}. */
export interface MetricsConfig {
  readonly port: number | undefined;
  readonly host: string;
  readonly token: Secret | undefined;
}

/** The merchant app's endpoint for events (`IGEPAY_FORWARD_URL`) and the HMAC secret that signs them. */
export interface ForwardConfig {
  readonly url: string;
  readonly secret: Secret;
  /** The first wait after a failed delivery (`IGEPAY_FORWARD_RETRY_SECONDS`); each failure doubles it. */
  readonly retryBaseMs: number;
}

/** Who the server signs as, and where buyers pay. */
export interface Merchant {
  readonly uid: string;
  readonly token: Secret;
  readonly gatewayUrl: string;
}

/**
 * Sandbox mode, as the sandbox plugs it into the core (`@igepay/server/sandbox`): the core
 * never imports the sandbox, it mounts what it is given.
 */
export interface SandboxMode {
  /** The gateway simulator and the demo shop, mounted beside the server's routes. */
  readonly routes: FastifyPluginAsync<{ readonly config: Config; readonly now: () => number }>;
  /** The demo shop's path, for the return page's link back. */
  readonly shopPath: string;
  /** What to print once the server is up: the addresses to open. */
  banner(publicUrl: string, dashboard: string | undefined): string;
}

/** What sandbox mode gives {@link loadConfig}. */
export interface SandboxSetup {
  readonly mode: SandboxMode;
  /** The catalog when `IGEPAY_PRODUCTS` is not set. */
  readonly catalog: Catalog;
  /**
   * The sandbox merchant, paying at the simulator under `publicUrl`. Asked once every other
   * setting is valid: it may make (and write) the merchant on first start.
   */
  merchant(at: { readonly publicUrl: string; readonly database: DatabaseConfig }): Merchant;
}
