import type { AdminStore } from './contract/admin.js';
import type { HealthStore } from './contract/health.js';
import type { NotificationsStore } from './contract/notifications.js';
import type { OrdersStore } from './contract/orders.js';
import type { OutboxStore } from './contract/outbox.js';
import type { ReportsStore } from './contract/reports.js';

export type * from './contract/admin.js';
export type * from './contract/health.js';
export type * from './contract/notifications.js';
export type * from './contract/orders.js';
export type * from './contract/outbox.js';
export type * from './contract/reports.js';
export type { StoreMode } from './mode.js';
export { MAX_UNAPPLIED_VARIANTS } from './unapplied.js';

/**
 * Where orders live: every facet of the store, as an engine opens it (`sqlite/store.ts`,
 * `postgres/store.ts`). A route or service asks only for the facets it uses
 * ({@link OrdersStore}, {@link NotificationsStore}, {@link OutboxStore}, {@link AdminStore},
 * {@link ReportsStore}, {@link HealthStore}).
 *
 * Every mutating method is one atomic transaction, durable (on disk) when its promise
 * resolves, so a caller may acknowledge igepay only after awaiting it. Engines may group
 * several callers' writes into one commit, but never resolve before the commit.
 */
export type OrderStore = OrdersStore &
  NotificationsStore &
  OutboxStore &
  AdminStore &
  ReportsStore &
  HealthStore;
