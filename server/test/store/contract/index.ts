import { describe } from 'vitest';
import { adminContract } from './admin.js';
import type { ContractEngine } from './engine.js';
import { notificationsContract } from './notifications.js';
import { ordersContract } from './orders.js';
import { outboxContract } from './outbox.js';
import { reportsContract } from './reports.js';

export { type ContractEngine, MATCHING } from './engine.js';

/**
 * The behaviour every store engine must have, facet by facet, run against each engine by its
 * own test file (a fresh database per test, given by `engine`).
 */
export function storeContract(name: string, engine: ContractEngine): void {
  describe(`${name}: the store contract`, () => {
    ordersContract(engine);
    notificationsContract(engine);
    outboxContract(engine);
    reportsContract(engine);
    adminContract(engine);
  });
}
