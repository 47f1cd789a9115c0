import { type EchoMismatch, OrderStatus } from '@igepay/shared';
import { StoreWriteError } from '../errors.js';
import type { MarkPaidResult, NewOrder, OrderRecord, OrdersStore, Payment } from '../order-store.js';
import { refusedPayment } from '../refused-payment.js';
import { type OrderRow, toOrder } from '../rows.js';
import { Batcher, type BatchResult } from './batcher.js';
import { CHANGES_CHANNEL, DB_NOW, jsonText, type PgCore } from './core.js';

/** A payment that moved its order to paid: `late`, and the echoes' difference as stored (JSON). */
interface AppliedPayment {
  readonly late: boolean;
  readonly echoMismatch: string | null;
}

/**
 * The `order.paid` body, from the order row `p` just paid, made once in the transaction of
 * the payment: resends send the same bytes under the same id.
 */
const PAID_BODY = `'{"id":' || ${jsonText(`'evt_paid_' || p.order_id`)}
  || ',"type":"order.paid","created":' || (p.paid_at / 1000)
  || ',"livemode":' || CASE WHEN $11::boolean THEN 'true' ELSE 'false' END
  || ',"data":{"order_id":' || ${jsonText('p.order_id')}
  || ',"price":"' || (p.price_cents / 100) || '.' || lpad((p.price_cents % 100)::text, 2, '0') || '"'
  || ',"channel":' || ${jsonText('p.channel')}
  || ',"product":' || ${jsonText('p.product')}
  || ',"order_name":' || ${jsonText('p.order_name')}
  || ',"order_uid":' || ${jsonText('p.order_uid')}
  || ',"pay_num":' || ${jsonText('p.pay_num')}
  || ',"transaction_id":' || ${jsonText('p.transaction_id')}
  || ',"paid_at":"' || to_char((timestamptz 'epoch' + p.paid_at * interval '1 millisecond') AT TIME ZONE 'UTC',
       'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') || '"'
  || ',"late":' || CASE WHEN p.late THEN 'true' ELSE 'false' END
  || ',"echo_mismatch":' || coalesce(p.echo_mismatch, 'null') || '}}'`;

/**
 * How the echoes `i.echo_key`, `i.echo_uid` differ from the order `o` (echoMismatch of
 * `@igepay/shared/signing`), as compact JSON, worked out in the payment's own statement.
 */
const ECHO_MISMATCH = `CASE
  WHEN i.echo_key IS NOT NULL AND o.request_key = i.echo_key THEN
    CASE WHEN coalesce(i.echo_uid, '') = '' OR o.order_uid IS NOT DISTINCT FROM i.echo_uid THEN NULL
    ELSE '{"order_uid":' || to_json(i.echo_uid)::text || '}' END
  WHEN coalesce(i.echo_uid, '') = '' OR o.order_uid IS NOT DISTINCT FROM i.echo_uid
    THEN '{"key":' || ${jsonText('i.echo_key')} || '}'
  ELSE '{"key":' || ${jsonText('i.echo_key')} || ',"order_uid":' || to_json(i.echo_uid)::text || '}'
END`;

const SQL = {
  // Many orders in one statement (see Batcher). DO NOTHING: an id already taken is refused
  // alone, where a failing row would otherwise fail the whole batch.
  insertMany: `
    INSERT INTO orders (order_id, client_secret_hash, status, price_cents, channel, product, order_name,
      order_uid, request_key, created_at, expires_at, updated_at, return_to)
    SELECT o.order_id, o.client_secret_hash, 'pending', o.price_cents, o.channel, o.product, o.order_name,
      o.order_uid, o.request_key, o.created_at, o.expires_at, o.created_at, o.return_to
    FROM unnest($1::text[], $2::text[], $3::int[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[],
      $9::bigint[], $10::bigint[], $11::text[])
      AS o(order_id, client_secret_hash, price_cents, channel, product, order_name, order_uid, request_key,
        created_at, expires_at, return_to)
    ON CONFLICT (order_id) DO NOTHING
    RETURNING order_id`,
  get: 'SELECT * FROM orders WHERE order_id = $1',
  // One statement for a batch of payments, so one transaction: the conditional change to paid
  // (a second instance racing on the same order waits for the row lock, re-checks
  // `status <> 'paid'` and changes nothing; two payments of one order in the same batch
  // change it once), the events and their deliveries (the outbox), and the NOTIFYs that
  // other instances hear once this commits.
  markPaidMany: `
    WITH i AS (
      SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::bigint[], $5::text[], $6::int[], $7::text[],
        $10::text[], $12::text[])
        AS i(order_id, pay_num, transaction_id, paid_at, request_key, price_cents, echo_key, echo_uid, fields)
    ), p AS (
      UPDATE orders o SET status = 'paid', paid_at = i.paid_at, pay_num = i.pay_num,
        transaction_id = i.transaction_id, late = (o.status <> 'pending' OR o.expires_at <= i.paid_at),
        updated_at = i.paid_at, echo_mismatch = ${ECHO_MISMATCH}
      FROM i
      WHERE o.order_id = i.order_id AND o.status <> 'paid'
        AND (i.request_key IS NULL OR o.request_key = i.request_key) AND o.price_cents = i.price_cents
      RETURNING o.*
    ), ev AS (
      INSERT INTO events (id, type, order_id, body, created_at)
      SELECT 'evt_paid_' || p.order_id, 'order.paid', p.order_id, ${PAID_BODY}, p.paid_at
      FROM p WHERE cardinality($8::text[]) > 0
      ON CONFLICT (id) DO NOTHING RETURNING id
    ), nt AS (
      INSERT INTO notifications (order_id, received_at, fields)
      SELECT DISTINCT ON (p.order_id) p.order_id, p.paid_at, i.fields
      FROM p JOIN i ON i.order_id = p.order_id AND i.pay_num = p.pay_num WHERE i.fields IS NOT NULL
    ), dl AS (
      INSERT INTO deliveries (event_id, sink, state, attempts, next_attempt_at)
      SELECT ev.id, sink, 'pending', 0, p.paid_at
      FROM ev JOIN p ON ev.id = 'evt_paid_' || p.order_id CROSS JOIN unnest($8::text[]) AS sink
      ON CONFLICT DO NOTHING
    )
    SELECT p.order_id, p.pay_num, p.late, p.echo_mismatch, pg_notify('${CHANGES_CHANNEL}', $9 || ' ' || p.order_id || ' paid') FROM p`,
  markFailed: `
    WITH f AS (
      UPDATE orders SET status = 'failed', failure_code = $2, updated_at = $3
      WHERE order_id = $1 AND status = 'pending' RETURNING order_id
    )
    SELECT pg_notify('${CHANGES_CHANNEL}', $4 || ' ' || order_id || ' failed') FROM f`,
  // Due by the earlier of the caller's clock and the database's: an instance whose clock runs
  // ahead must not expire the orders of the others (all share the database's clock).
  anyDue: `SELECT 1 FROM orders WHERE status = 'pending' AND expires_at <= LEAST($1::bigint, ${DB_NOW}) LIMIT 1`,
  expire: `
    WITH e AS (
      UPDATE orders SET status = 'expired', updated_at = $1
      WHERE status = 'pending' AND expires_at <= LEAST($1::bigint, ${DB_NOW}) RETURNING order_id
    )
    SELECT order_id, pg_notify('${CHANGES_CHANNEL}', $2 || ' ' || order_id || ' expired') FROM e`,
};

/** One order by its id, for the facets that read it too. */
export const ORDER_BY_ID = SQL.get;

/**
 * The orders facet of the PostgreSQL engine, and what it has queued. Under load, many
 * checkouts (or payments) share one statement and one commit ({@link Batcher}).
 */
export function pgOrders(core: PgCore): Required<OrdersStore> & { pendingWrites(): number } {
  // A quarter of the pool each, half for both: reads (status polls) always find a connection.
  const maxInFlight = Math.max(1, Math.floor(core.poolSize / 4));
  const creates = new Batcher<NewOrder, void>((orders) => createBatch(orders), { maxInFlight });
  const payments = new Batcher<Payment, AppliedPayment | undefined>((batch) => payBatch(batch), {
    maxInFlight,
  });

  /** Inserts a batch of orders; an id already taken (or repeated in the batch) is refused alone. */
  async function createBatch(orders: readonly NewOrder[]): Promise<Array<BatchResult<void>>> {
    const column = <K extends keyof NewOrder>(key: K) => orders.map((order) => order[key]);
    const { rows } = await core.query<{ order_id: string }>(SQL.insertMany, [
      column('orderId'),
      column('clientSecretHash'),
      column('priceCents'),
      column('channel'),
      column('product'),
      column('orderName'),
      column('orderUid'),
      column('requestKey'),
      column('createdAt'),
      column('expiresAt'),
      column('returnTo'),
    ]);
    const inserted = new Set(rows.map((row) => row.order_id));
    return orders.map((order) => {
      // The first of a repeated id took it; the rest are refused.
      if (inserted.delete(order.orderId)) return { ok: true, value: undefined };
      return { ok: false, error: new StoreWriteError(`order ${order.orderId} exists already`, '23505') };
    });
  }

  /**
   * Applies a batch of payments; each resolves with `late` and the echoes' difference when it
   * moved its order to paid, `undefined` otherwise (a payment of an order paid in the same
   * batch included).
   */
  async function payBatch(
    batch: readonly Payment[],
  ): Promise<Array<BatchResult<AppliedPayment | undefined>>> {
    const column = <K extends keyof Payment>(key: K) => batch.map((payment) => payment[key]);
    const { rows } = await core.query<{
      order_id: string;
      pay_num: string;
      late: boolean;
      echo_mismatch: string | null;
    }>(SQL.markPaidMany, [
      column('orderId'),
      column('payNum'),
      column('transactionId'),
      column('paidAt'),
      column('requestKey'),
      column('priceCents'),
      batch.map((payment) => payment.echo.key),
      core.sinks,
      core.instance,
      batch.map((payment) => payment.echo.orderUid),
      core.mode === 'live',
      batch.map((payment) => (payment.fields ? JSON.stringify(payment.fields) : null)),
    ]);
    const paid = new Map(rows.map((row) => [row.order_id, row]));
    return batch.map((payment) => {
      const row = paid.get(payment.orderId);
      // One payment per order changed it: the first of the batch that carries the winning pay_num.
      if (!row || row.pay_num !== payment.payNum) return { ok: true, value: undefined };
      paid.delete(payment.orderId);
      return { ok: true, value: { late: row.late, echoMismatch: row.echo_mismatch } };
    });
  }

  async function getOrder(orderId: string): Promise<OrderRecord | undefined> {
    const { rows } = await core.query<OrderRow>(SQL.get, [orderId]);
    return rows[0] && toOrder(rows[0]);
  }

  return {
    mode: core.mode,

    async createOrder(order: NewOrder): Promise<void> {
      await creates.submit(order);
    },

    getOrder,

    async markPaid(payment: Payment): Promise<MarkPaidResult> {
      const applied = await payments.submit(payment);
      if (applied !== undefined) {
        core.emit({ orderId: payment.orderId, status: OrderStatus.Paid });
        const echoMismatch =
          applied.echoMismatch === null ? null : (JSON.parse(applied.echoMismatch) as EchoMismatch);
        return { outcome: 'paid', late: applied.late, echoMismatch };
      }
      // Not applied: read the order to tell why.
      return refusedPayment(await getOrder(payment.orderId), payment);
    },

    async markFailed(orderId: string, code: string, at: number): Promise<boolean> {
      const { rowCount } = await core.query(SQL.markFailed, [orderId, code, at, core.instance]);
      if (rowCount !== 1) return false;
      core.emit({ orderId, status: OrderStatus.Failed });
      return true;
    },

    async expireDue(now: number): Promise<string[]> {
      // A cheap read first, so idle instances do not write on every sweep.
      if ((await core.query(SQL.anyDue, [now])).rowCount === 0) return [];
      const { rows } = await core.query<{ order_id: string }>(SQL.expire, [now, core.instance]);
      const ids = rows.map((row) => row.order_id);
      for (const orderId of ids) core.emit({ orderId, status: OrderStatus.Expired });
      return ids;
    },

    onChange: (listener) => core.onChange(listener),
    onMissedChanges: (listener) => core.onMissedChanges(listener),
    now: () => core.now(),
    pendingWrites: () => creates.queued + payments.queued,
  };
}
