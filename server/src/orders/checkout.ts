import {
  CHANNEL_TYPE,
  type CheckoutRequest,
  type CheckoutResponse,
  formatPrice,
  IgepayError,
  NOTIFY_PATH,
  type PayFields,
  parsePrice,
  returnPath,
} from '@igepay/shared';
import { requestKey } from '@igepay/shared/signing';
import type { Config } from '../config/config.js';
import type { OrdersStore } from '../store/order-store.js';
import { hashClientSecret, newClientSecret, newOrderId } from './ids.js';

/** What a checkout needs from the server. */
export interface CheckoutDeps {
  readonly config: Config;
  readonly store: Pick<OrdersStore, 'createOrder'>;
}

/**
 * The amount and name of an order: from the catalog for a product, from the request otherwise.
 * Throws the checkout's refusal of an unknown product or an amount this server does not take.
 */
export function priceAndName(
  config: Pick<Config, 'catalog' | 'openAmounts' | 'minPriceCents' | 'maxPriceCents'>,
  body: Pick<CheckoutRequest, 'product' | 'price' | 'order_name'>,
): { priceCents: number; name: string | undefined } {
  if (body.product !== undefined) {
    const product = config.catalog.get(body.product);
    if (!product)
      throw new IgepayError('IGEPAY_ERR_UNKNOWN_PRODUCT', {
        issues: [{ path: 'product', message: 'is not in the catalog' }],
      });
    return { priceCents: product.priceCents, name: product.name };
  }
  if (!config.openAmounts) {
    throw new IgepayError('IGEPAY_ERR_OPEN_AMOUNTS_OFF', {
      issues: [{ path: 'price', message: 'this shop takes catalog products only (IGEPAY_OPEN_AMOUNTS=0)' }],
    });
  }
  const priceCents = parsePrice(body.price);
  if (priceCents === undefined || priceCents < config.minPriceCents || priceCents > config.maxPriceCents) {
    const range = `${formatPrice(config.minPriceCents)} to ${formatPrice(config.maxPriceCents)}`;
    throw new IgepayError('IGEPAY_ERR_PRICE_OUT_OF_RANGE', {
      msg: `The amount must be from ${range}.`,
      issues: [{ path: 'price', message: `must be from ${range}` }],
    });
  }
  return { priceCents, name: body.order_name };
}

/** A redirect-mode page to come back to, only on an origin the server allows (no open redirect). */
function returnTo(config: Config, url: string | undefined): string | null {
  if (url === undefined) return null;
  const parsed = new URL(url);
  if (!config.allowedOrigins.includes(parsed.origin)) {
    throw new IgepayError('IGEPAY_ERR_VALIDATION', {
      msg: 'return_to must be a page on an allowed origin (IGEPAY_ALLOWED_ORIGINS).',
      issues: [{ path: 'return_to', message: 'is not on an allowed origin' }],
    });
  }
  // Kept as the URL serializes (`?q=支付` as `?q=%E6%94%AF%E4%BB%98`): ASCII, so it can be a
  // Location header; the browser reads it as the same page.
  return parsed.href;
}

/**
 * Creates, stores and signs an order. The amount signed is the amount stored: both come
 * from `priceCents`, formatted once.
 */
export async function createCheckout(
  deps: CheckoutDeps,
  body: CheckoutRequest,
  now: number,
): Promise<CheckoutResponse> {
  const { config, store } = deps;
  const { priceCents, name } = priceAndName(config, body);
  const orderId = newOrderId(now);
  const clientSecret = newClientSecret();

  const fields: PayFields = {
    uid: config.uid,
    price: formatPrice(priceCents),
    type: CHANNEL_TYPE[body.channel],
    notify_url: `${config.publicUrl}${NOTIFY_PATH}`,
    return_url: `${config.publicUrl}${returnPath(orderId)}`,
    order_id: orderId,
    ...(body.order_uid !== undefined && { order_uid: body.order_uid }),
    ...(name !== undefined && { order_name: name }),
  };
  const key = requestKey(fields, config.token.reveal(), { signOrderUid: config.signOrderUid });

  await store.createOrder({
    orderId,
    clientSecretHash: hashClientSecret(clientSecret),
    priceCents,
    channel: body.channel,
    product: body.product ?? null,
    orderName: name ?? null,
    orderUid: body.order_uid ?? null,
    requestKey: key,
    createdAt: now,
    expiresAt: now + config.orderTtlMs,
    returnTo: returnTo(config, body.return_to),
  });

  return {
    order_id: orderId,
    client_secret: clientSecret,
    gateway: { action: config.gatewayUrl, method: 'POST', fields: { ...fields, key } },
    ...(config.sandbox && { sandbox: true as const }),
  };
}
