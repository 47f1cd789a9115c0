import { z } from 'zod';
import { CHANNELS } from './channel.js';
import type { ErrorReply } from './errors.js';
import { priceText, printableHttpUrl } from './fields.js';
import { Md5HexSchema, PayFieldsSchema } from './gateway.js';
import { ORDER_STATUSES } from './status.js';
import { gatewayName } from './text.js';

/** Validates an order status. */
export const OrderStatusSchema = z.enum(ORDER_STATUSES);

/** Validates a channel name. */
export const ChannelSchema = z.enum(CHANNELS);

/** A price as the API takes it: yuan with at most 2 decimals, e.g. `12.5` or `12.50`. */
export const PriceTextSchema = priceText();

/** A catalog key (`IGEPAY_PRODUCTS`). */
export const SkuSchema = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/, 'must be a product key of letters, digits, _ . -');

/**
 * The body of `POST /api/checkout` (docs/protocol.md §2.2): a channel and exactly one of `price`
 * (an open amount) or `product` (a catalog item, whose name and price the server decides).
 */
export const CheckoutRequestSchema = z
  .object({
    channel: ChannelSchema,
    price: PriceTextSchema.optional(),
    product: SkuSchema.optional(),
    order_uid: gatewayName(100).optional(),
    order_name: gatewayName(100).optional(),
    /**
     * Redirect mode: the page to send the buyer back to after igepay's return redirect. Its
     * origin must be one the server allows (`IGEPAY_ALLOWED_ORIGINS`).
     */
    return_to: printableHttpUrl(2000).optional(),
  })
  .strict()
  .superRefine((body, ctx) => {
    if ((body.price === undefined) === (body.product === undefined)) {
      ctx.addIssue({ code: 'custom', path: ['price'], message: 'give exactly one of price or product' });
    }
    if (body.product !== undefined && body.order_name !== undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['order_name'],
        message: 'a product takes its name from the catalog; do not send order_name with product',
      });
    }
  });

/** The body of `POST /api/checkout`. */
export type CheckoutRequest = z.infer<typeof CheckoutRequestSchema>;

/** The reply to a checkout: the order, its client secret, and the form to post to igepay. */
export const CheckoutResponseSchema = z.object({
  /** The server-made order id. */
  order_id: z.string(),
  /** Needed to read the order's status; keep it in the page that made the order. */
  client_secret: z.string(),
  /** The form the browser posts to the gateway (`accept-charset="utf-8"`). */
  gateway: z.object({
    action: z.string(),
    method: z.literal('POST'),
    fields: PayFieldsSchema.extend({ key: Md5HexSchema }),
  }),
  /** Present (`true`) when the server runs in sandbox mode: the gateway is the simulator. */
  sandbox: z.literal(true).optional(),
});

/** The reply to a checkout. */
export type CheckoutResponse = z.infer<typeof CheckoutResponseSchema>;

/** The path parameters of `GET /api/orders/:order_id`. */
export const OrderParamsSchema = z.object({ order_id: z.string().min(1).max(50) });

/** Longest long poll, in seconds; longer waits are cut to this. */
export const MAX_WAIT_SECONDS = 30;

/** The query of `GET /api/orders/:order_id`. */
export const OrderQuerySchema = z.object({
  client_secret: z.string().min(1, 'is required').max(200),
  wait: z
    .string()
    .regex(/^\d{1,6}$/, 'must be a whole number of seconds')
    .transform((value) => Math.min(Number(value), MAX_WAIT_SECONDS))
    .optional(),
});

/**
 * The query of `GET /api/igepay/return` (igepay's `return_url`). Anyone can open that URL, so
 * a missing or malformed `order_id` is no error: the page says there is no such order.
 */
export const ReturnQuerySchema = z.object({
  order_id: z.string().max(50).optional().catch(undefined),
});

/** What every view of an order begins with, a page's and the dashboard's alike. */
export const OrderFactsSchema = z.object({
  order_id: z.string(),
  status: OrderStatusSchema,
  price: z.string(),
  channel: ChannelSchema,
  product: z.string().nullable(),
  order_name: z.string().nullable(),
});

/** What the API tells a page about an order. Amounts are exact 2-decimal strings. */
export const OrderViewSchema = OrderFactsSchema.extend({
  created_at: z.string(),
  expires_at: z.string(),
  /**
   * Until when a buyer's page waits for a late payment: igepay may still take a payment begun
   * just before `expires_at`, and the long poll holds an expired order until then.
   */
  late_until: z.string(),
  paid_at: z.string().nullable(),
  /** True when the payment arrived after the order had expired (it is paid all the same). */
  late: z.boolean(),
  /** `false` on a sandbox server: the gateway is the simulator and no money moves. */
  livemode: z.boolean(),
});

/** What the API tells a page about an order. */
export type OrderView = z.infer<typeof OrderViewSchema>;

/** What `GET /api/config` tells a page: the open-amount bounds and the catalog, for display. */
export const PublicConfigSchema = z.object({
  /** Whether a checkout may name its own `price`; when false, only `products` can be bought. */
  open_amounts: z.boolean(),
  /** The smallest and largest open amount, exactly 2 decimals. */
  min_price: z.string(),
  max_price: z.string(),
  /** The catalog: each product's name and price. */
  products: z.record(z.string(), z.object({ name: z.string(), price: z.string() })),
  /** True when the server runs in sandbox mode. */
  sandbox: z.boolean(),
  /**
   * Why a page asking with this `Origin`, `product` or `price` could not take a payment here,
   * and the setting or attribute that fixes it (English, for the developer's console).
   */
  problem: z.string().optional(),
});

/** What `GET /api/config` answers. */
export type PublicConfig = z.infer<typeof PublicConfigSchema>;

/**
 * `GET /api/config?product=...` or `?price=...`: the element's own attributes, so that the
 * server can say before any click whether it would take that checkout from that page.
 */
export const ConfigQuerySchema = z.object({
  product: z.string().max(200).optional(),
  price: z.string().max(200).optional(),
});

/** One problem with one field, in an error reply. */
export const ErrorIssueSchema = z.object({
  /** Dotted path of the field, e.g. `price`. */
  path: z.string(),
  /** What is wrong with it. */
  message: z.string(),
});

/** An error reply of the signing server (`ERRORS` lists every `code` and `error`). */
export const ErrorReplySchema = z.object({
  code: z.number().int(),
  msg: z.string(),
  error: z.string(),
  issues: z.array(ErrorIssueSchema).optional(),
}) satisfies z.ZodType<ErrorReply>;
