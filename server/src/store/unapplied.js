// @ts-check
/**
 * The limits on what one signed notification can make the store keep, shared by both engines
 * (plain JavaScript: the SQLite writer thread loads it as it is).
 *
 * igepay's sign covers `order_id` and `price` only: whoever holds one signed notification (a
 * plain-HTTP `notify_url`, a forwarded event) can send it again with any other `pay_num`,
 * `code` or extra field, and each such variant is a new notification to keep. A few are kept
 * and announced, to show that something is wrong; the rest are counted on the first one kept.
 */

/** The variants of one signed `(order_id, price, sign)` kept and announced; later ones are counted. */
export const MAX_UNAPPLIED_VARIANTS = 3;

/**
 * The event id of a kept notification: from its fingerprint (the hash of what was received),
 * so it is the same wherever and whenever that notification is kept (another database, a
 * database restored from a backup) and different for every other.
 * @param {string} fingerprint
 * @returns {string}
 */
export function unappliedEventId(fingerprint) {
  return `evt_unapplied_${fingerprint.slice(0, 32)}`;
}
