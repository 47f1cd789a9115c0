import { z } from 'zod';
import { ChannelSchema, OrderFactsSchema } from './api.js';
import { type UnappliedReason, WEBHOOK_EVENT_TYPES } from './events.js';
import type { ADMIN_API } from './paths.js';

/*
 * The dashboard's API (`/admin/api/…` on the signing server), written once: the server answers
 * with these schemas (they are its response schemas, so a reply cannot drift from them) and the
 * dashboard reads the types inferred from them. Times are ISO strings; amounts exact 2-decimal
 * strings.
 */

/** Where events go: the merchant app's endpoint (`IGEPAY_FORWARD_URL`) or the embedding app's `onPaid`. */
export const SINKS = ['forward', 'callback'] as const;
/** One of {@link SINKS}. */
export type Sink = (typeof SINKS)[number];

/** A delivery's state: `failed` when given up after the retry window. */
export const DELIVERY_STATES = ['pending', 'delivered', 'failed'] as const;
/** One of {@link DELIVERY_STATES}. */
export type DeliveryState = (typeof DELIVERY_STATES)[number];

/** Why a validly signed notification was not applied (`UnappliedReason` of `@igepay/webhook`). */
export const UNAPPLIED_REASONS = [
  'unknown-order',
  'key-mismatch',
  'price-mismatch',
  'code-not-success',
  'missing-fields',
  'already-paid-by-other-payment',
] as const satisfies readonly UnappliedReason[];
true satisfies [UnappliedReason] extends [(typeof UNAPPLIED_REASONS)[number]] ? true : never;

const time = z.string();
const timeOrNull = z.string().nullable();

/** A signed-in session (`POST`/`GET` {@link ADMIN_API}.session). */
export const AdminSessionSchema = z.object({
  /** Send it back as `X-CSRF-Token` with every change. */
  csrf_token: z.string(),
  signed_in_at: time,
  /** When the session ends however it is used (it also ends after 30 idle minutes). */
  expires_at: time,
  /** `false` on a sandbox server: the dashboard says so on every page. */
  livemode: z.boolean(),
});
export type AdminSession = z.infer<typeof AdminSessionSchema>;

/** The body that signs in. */
export const SignInSchema = z.object({ password: z.string().min(1).max(1024) });

/** Takings over some days: the total and each channel's, exact 2-decimal strings. */
export const TakingsSchema = z.object({
  total: z.string(),
  count: z.number().int(),
  by_channel: z.record(ChannelSchema, z.string()),
});
export type Takings = z.infer<typeof TakingsSchema>;

/** What the overview shows. */
export const OverviewSchema = z.object({
  /** `false` on a sandbox server: no money moved. */
  livemode: z.boolean(),
  today: TakingsSchema,
  last_7_days: TakingsSchema,
  last_30_days: TakingsSchema,
  /** One entry per local day, oldest first, days without payments included. */
  daily: z.array(TakingsSchema.extend({ day: z.string() })),
  /** What needs a person. */
  attention: z.object({
    /** Notifications igepay signed that could not be applied (`igepay reconcile`). */
    unapplied_notifications: z.number().int(),
    /** Payments after the order had expired or failed. */
    late_payments: z.number().int(),
    /** Events not yet taken by the shop's app, and since when the oldest waits. */
    undelivered_events: z.number().int(),
    oldest_undelivered_at: timeOrNull,
    /** The most recent notifications answered `fail` (`igepay rejected`, at most 1,000 kept). */
    rejected_notifications: z.number().int(),
  }),
});
export type Overview = z.infer<typeof OverviewSchema>;

/** An order, as the dashboard and `igepay … --json` show it. */
export const AdminOrderSchema = OrderFactsSchema.extend({
  order_uid: z.string().nullable(),
  created_at: time,
  paid_at: timeOrNull,
  pay_num: z.string().nullable(),
  transaction_id: z.string().nullable(),
  /** Paid after it had expired or failed. */
  late: z.boolean(),
  failure_code: z.string().nullable(),
  /** What the paying notification echoed differently (`key: null`: it sent none). */
  echo_mismatch: z
    .object({ key: z.string().nullable().optional(), order_uid: z.string().optional() })
    .nullable(),
});
export type AdminOrder = z.infer<typeof AdminOrderSchema>;

/** One page of the orders list, newest first; `next` is where the next page starts (`after`). */
export const OrdersPageSchema = z.object({ orders: z.array(AdminOrderSchema), next: z.string().nullable() });
export type OrdersPage = z.infer<typeof OrdersPageSchema>;

/** A notification kept unapplied, and its resolution when a person has dealt with it. */
export const UnappliedSchema = z.object({
  id: z.number().int(),
  /** The `notification.unapplied` event that announced it. */
  event_id: z.string(),
  reason: z.enum(UNAPPLIED_REASONS),
  order_id: z.string(),
  price: z.string(),
  pay_num: z.string().nullable(),
  code: z.string().nullable(),
  received_at: time,
  /** Every field received, without its `sign`. */
  fields: z.record(z.string(), z.unknown()),
  resolved_at: timeOrNull,
  resolved_note: z.string().nullable(),
  /** Variants of the same signed notification received after, counted and not kept. */
  suppressed_variants: z.number().int(),
});
export type Unapplied = z.infer<typeof UnappliedSchema>;

/** The notifications to deal with, unresolved first. */
export const UnappliedListSchema = z.object({ unapplied: z.array(UnappliedSchema) });

/** An event for the merchant's app, its deliveries and (in an order's history) every attempt. */
export const AdminEventSchema = z.object({
  id: z.string(),
  type: z.enum(WEBHOOK_EVENT_TYPES),
  order_id: z.string(),
  created_at: time,
  deliveries: z.array(
    z.object({
      sink: z.enum(SINKS),
      state: z.enum(DELIVERY_STATES),
      attempts: z.number().int(),
      next_attempt_at: timeOrNull,
      last_error: z.string().nullable(),
      delivered_at: timeOrNull,
    }),
  ),
});
export type AdminEvent = z.infer<typeof AdminEventSchema>;

/** One order's timeline. */
export const HistorySchema = z.object({
  order: AdminOrderSchema.extend({ expires_at: time }),
  /** The notifications that paid it or repeated the payment, without their `sign`. */
  notifications: z.array(z.object({ received_at: time, fields: z.record(z.string(), z.unknown()) })),
  unapplied: z.array(UnappliedSchema),
  events: z.array(
    AdminEventSchema.extend({
      attempts: z.array(
        z.object({ sink: z.enum(SINKS), at: time, ok: z.boolean(), reply: z.string().nullable() }),
      ),
    }),
  ),
});
export type History = z.infer<typeof HistorySchema>;

/** One thing done in the dashboard. */
export const AuditEntrySchema = z.object({
  id: z.number().int(),
  at: time,
  /** `sign-in`, `sign-out`, `sign-out-all`, `sign-in-refused`, or what was done (`redeliver`, `resolve`). */
  action: z.string(),
  /** The first 12 hex digits of the session's hash. */
  session: z.string(),
  client: z.string(),
  target: z.string().nullable(),
  note: z.string().nullable(),
});
export type AuditEntry = z.infer<typeof AuditEntrySchema>;

/** The audit trail, newest first. */
export const AuditSchema = z.object({ actions: z.array(AuditEntrySchema) });

/** The note that marks an unapplied notification dealt with. */
export const ResolveSchema = z.object({ note: z.string().trim().min(1, 'say what was done').max(500) });

/** The reply to a resolution. */
export const ResolvedSchema = z.object({ id: z.number().int(), resolved_at: time });

/** The reply to a redelivery: the sinks it is queued for. */
export const RedeliveredSchema = z.object({ id: z.string(), queued_for: z.array(z.enum(SINKS)) });

/** The unapplied notifications, unresolved first. */
export type UnappliedList = z.infer<typeof UnappliedListSchema>;
/** The audit trail. */
export type Audit = z.infer<typeof AuditSchema>;
/** The reply to a resolution. */
export type Resolved = z.infer<typeof ResolvedSchema>;
/** The reply to a redelivery. */
export type Redelivered = z.infer<typeof RedeliveredSchema>;

/** What each of {@link ADMIN_API}'s JSON routes answers, for a typed client (the dashboard). */
export interface AdminReplies {
  readonly session: AdminSession;
  readonly overview: Overview;
  readonly orders: OrdersPage;
  readonly order: History;
  readonly unapplied: UnappliedList;
  readonly resolve: Resolved;
  readonly redeliver: Redelivered;
  readonly audit: Audit;
}
