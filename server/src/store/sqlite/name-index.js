// @ts-check
/**
 * The name index off the commit path (migration 14): an order's commit only queues its id in
 * `order_names_pending`; the writer thread writes the queued names' words (name-words.js) into
 * `order_name_grams` a turn at a time, when no write waits. A search reads the queue too, so it
 * finds every order whether its words are written yet or not. Plain JavaScript: the writer
 * thread loads it as it is.
 */
import { nameWords } from './name-words.js';
import { pluck, transaction } from './sqlite.js';

/** Names indexed in one transaction: a few milliseconds, so a write arriving waits little. */
export const NAMES_PER_TURN = 500;

/** @param {import('./sqlite.js').DatabaseSync} db the writer's connection */
export function nameIndex(db) {
  const sql = {
    queue: db.prepare('INSERT INTO order_names_pending (order_id) VALUES (?)'),
    // CROSS JOIN keeps this order: from the few queued to their orders (a plain JOIN was
    // planned the other way round, reading every order).
    waiting: db.prepare(`
      SELECT p.order_id AS orderId, o.order_name AS name
      FROM order_names_pending p CROSS JOIN orders o ON o.order_id = p.order_id LIMIT ?`),
    count: pluck(db.prepare('SELECT count(*) FROM order_names_pending')),
    index: db.prepare('INSERT INTO order_name_grams (words, order_id) VALUES (?, ?)'),
    done: db.prepare('DELETE FROM order_names_pending WHERE order_id = ?'),
  };
  return {
    /** Queues an order's name, in the order's own transaction. @param {string} orderId */
    queue(orderId) {
      sql.queue.run(orderId);
    },
    /** How many names wait. @returns {number} */
    waiting() {
      return /** @type {number} */ (sql.count.get());
    },
    /**
     * Writes the words of up to NAMES_PER_TURN queued names and takes them off the queue, in
     * one transaction; returns how many. Read inside the transaction: another process's
     * writer (an igepay command's) may be indexing the same queue, and each name is indexed once.
     * @returns {number}
     */
    indexSome() {
      return transaction(
        db,
        () => {
          const waiting = /** @type {Array<{ orderId: string, name: string }>} */ (
            sql.waiting.all(NAMES_PER_TURN)
          );
          for (const { orderId, name } of waiting) {
            sql.index.run(nameWords(name), orderId);
            sql.done.run(orderId);
          }
          return waiting.length;
        },
        'IMMEDIATE',
      );
    },
  };
}
