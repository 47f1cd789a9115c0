import { GATEWAY_SUCCESS_CODE } from '@igepay/shared';
import { md5Hex, notificationSign } from '@igepay/shared/signing';
import type { Payment } from './payments.js';
import type { Fault } from './settings.js';

/** The `code` of a notification under the `fail-code` fault: anything but `0000` is not a payment. */
export const FAIL_CODE = '2001';

/** How many copies of the notification the `duplicate` fault sends at once. */
export const DUPLICATE_COPIES = 3;

/** A token the merchant does not have: a `bad-sign` notification is signed with it. */
const FORGER_TOKEN = 'not-the-merchant-token';

/** `12.30` → `12.3`, `10.00` → `10`: how some gateways echo a price (the `short-price` fault). */
export function shortPrice(price: string): string {
  return price.replace(/\.?0+$/, '');
}

/**
 * The notification body for a paid payment (docs/protocol.md §1.3), in the table's field order,
 * with the faults applied. Signed with `token` through `@igepay/shared/signing`, over the
 * price exactly as sent.
 */
export function notificationBody(
  payment: Payment,
  token: string,
  faults: ReadonlySet<Fault>,
): Record<string, string> {
  const { request } = payment;
  const short = faults.has('short-price') || faults.has('respelled-sign');
  const price = short ? shortPrice(request.price) : request.price;
  // `respelled-sign`: one clone signs the price as it was posted and sends it short.
  const signed = { order_id: request.order_id, price: faults.has('respelled-sign') ? request.price : price };
  const transactionId = payment.transactionId ?? '';
  return {
    pay_num: payment.payNum,
    transaction_id: transactionId,
    order_id: request.order_id,
    price,
    ...(request.order_uid !== undefined && { order_uid: request.order_uid }),
    code: faults.has('fail-code') ? FAIL_CODE : GATEWAY_SUCCESS_CODE,
    // `other-key`: a variant of the template's notify demo sends a signature of its own here.
    key: faults.has('other-key')
      ? md5Hex(`${request.order_id}${request.order_uid ?? ''}${price}${transactionId}${token}`)
      : request.key,
    sign: notificationSign(signed, faults.has('bad-sign') ? FORGER_TOKEN : token),
  };
}
