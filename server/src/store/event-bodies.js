// @ts-check
/**
 * Event bodies built in JavaScript, shared by both engines (plain JavaScript because the
 * SQLite writer thread loads it as it is). The `order.paid` body is built by each engine's
 * SQL from the stored order, in the same transaction as the payment.
 */

/**
 * The body of a `notification.unapplied` event.
 * @param {string} id the event id
 * @param {{ reason: string, orderId: string, price: string, payNum: string | null, code: string | null, fields: string, receivedAt: number }} record
 *   the kept notification, `fields` as stored (sorted JSON)
 * @param {boolean} livemode `false` for a sandbox database
 * @returns {string}
 */
export function unappliedEventBody(id, record, livemode) {
  return JSON.stringify({
    id,
    type: 'notification.unapplied',
    created: Math.floor(record.receivedAt / 1000),
    livemode,
    data: {
      reason: record.reason,
      order_id: record.orderId,
      price: record.price,
      pay_num: record.payNum,
      code: record.code,
      // Without the sign: an event's reader needs no signed notification to replay.
      fields: unsigned(JSON.parse(record.fields)),
      received_at: new Date(record.receivedAt).toISOString(),
    },
  });
}

/**
 * @param {Record<string, unknown>} fields
 * @returns {Record<string, unknown>}
 */
function unsigned(fields) {
  const { sign: _sign, ...rest } = fields;
  return rest;
}
