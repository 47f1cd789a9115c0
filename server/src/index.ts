/**
 * `@igepay/server`: the igepay signing server. Build it with {@link buildApp} (it does not
 * listen), mount {@link igepayPlugin} in an app of yours, or run the `igepay-server` bin to
 * serve from the environment's settings. Two subpaths stand apart so that only those who use
 * them load them: `@igepay/server/postgres` (the `pg` driver lengthens start-up) and
 * `@igepay/server/sandbox` (the gateway simulator).
 */

export {
  ERRORS,
  IgepayError,
  type IgepayErrorName,
  type NotificationUnappliedEvent,
  type OrderPaidEvent,
  type PaidOrder,
  type UnappliedNotificationData,
  type UnappliedReason,
  WEBHOOK_EVENT_TYPES,
  type WebhookEventType,
} from '@igepay/shared';
export {
  SECRET_PREFIX,
  sign,
  type VerifyOptions,
  verifyWebhook,
  WEBHOOK_HEADERS,
  type WebhookEvent,
  type WebhookRequestHeaders,
  WebhookVerificationError,
  webhookHeaders,
} from '@igepay/shared/webhook';
export { hashPassword, verifyPassword } from './admin/password.js';
export { type BuildAppOptions, buildApp } from './app.js';
export { type Catalog, type Product, parseCatalog } from './config/catalog.js';
export {
  type Config,
  ConfigError,
  type DatabaseConfig,
  type ForwardConfig,
  loadConfig,
  type Merchant,
  type SandboxMode,
  type SandboxSetup,
} from './config/config.js';
export { parsePasswordHash } from './config/password-hash.js';
export { Secret } from './config/secret.js';
export { DEFAULT_RETRY, type RetryPolicy } from './fulfillment/retry.js';
export type { OnPaid } from './fulfillment/sinks.js';
export { bindServer } from './http/listen.js';
export { type IgepayDecorator, type IgepayPluginOptions, igepayPlugin } from './plugin.js';
export type * from './store/order-store.js';
export { SqliteStore, type SqliteStoreOptions } from './store/sqlite/store.js';
