/**
 * `@igepay/server`: the igepay signing server. Build it with {@link buildApp} (it does not
 * listen), or run `main.js` to serve from the environment's settings. The PostgreSQL store is
 * `@igepay/server/postgres`, apart: the `pg` driver costs ~60 ms of start-up, so only servers
 * that use it load it.
 */

export {
  computeSignature,
  SIGNATURE_HEADER,
  signatureHeader,
  type VerifyOptions,
  verifyWebhook,
  type WebhookEvent,
  WebhookVerificationError,
} from '@igepay/shared/webhook';
export { type BuildAppOptions, buildApp } from './app.js';
export { type Catalog, type Product, parseCatalog } from './catalog.js';
export { type Config, ConfigError, loadConfig } from './config.js';
export { IgepayError } from './errors.js';
export { DEFAULT_RETRY, type RetryPolicy } from './fulfillment/retry.js';
export type { OnPaid, PaidOrder } from './fulfillment/sinks.js';
export { bindServer } from './listen.js';
export { type IgepayDecorator, type IgepayPluginOptions, igepayPlugin } from './plugin.js';
export { buildSimulatorApp, loadStandaloneConfig, type StandaloneConfig } from './sandbox/standalone.js';
export { Secret } from './secret.js';
export { SqliteStore, type SqliteStoreOptions } from './store/sqlite-store.js';
export type * from './store/store.js';
