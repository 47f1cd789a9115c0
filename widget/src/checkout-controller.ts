import type { CheckoutRequest, OrderView } from '@igepay/shared';
import { NETWORK_ERROR_CODE, OrderStatus } from '@igepay/shared/browser';
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { createCheckout, orderStatus, ServerError } from './api.js';
import { IgepayCancelEvent } from './events/igepay-cancel-event.js';
import { IgepayErrorEvent } from './events/igepay-error-event.js';
import { IgepayOrderEvent } from './events/igepay-order-event.js';
import { IgepayPaidEvent } from './events/igepay-paid-event.js';
import { submitGatewayForm } from './gateway-form.js';
import type { Strings } from './i18n.js';
import { clearPending, readPending, savePending } from './pending.js';
import { type ActiveOrder, type CheckoutState, ORDER_EXPIRED, PAYMENT_FAILED } from './state.js';

/** The element a controller serves: it renders the state and dispatches the events. */
export type CheckoutHost = ReactiveControllerHost & EventTarget;

/**
 * What the controller reads from its element, when it needs it (the element's properties may
 * change between checkouts).
 */
export interface CheckoutContext {
  /** The signing server's base URL, without a trailing slash. */
  readonly serverUrl: () => string;
  /** Identifies this element's order across a redirect (several buttons may share a page). */
  readonly pendingKey: () => string;
  /** The element's texts, in its language. */
  readonly strings: () => Strings;
}

/** Seconds the server holds each status request (it caps waits at 30). */
const WAIT_SECONDS = 25;
const POPUP_FEATURES = 'popup,width=480,height=760';
/** How long a finished payment's window may stay open to reach the return page. */
const POPUP_GRACE_MS = 5000;

/** Resolves after `ms`, or without `ms` when the tab shows again; at once when called off. */
function pause(signal: AbortSignal, ms?: number): Promise<void> {
  return new Promise((resolve) => {
    if (ms) setTimeout(resolve, ms);
    else document.addEventListener('visibilitychange', () => resolve(), { once: true, signal });
    signal.addEventListener('abort', () => resolve());
  });
}

/**
 * The checkout flow of one element (model: `@lit/task`): create the order, post the form to
 * igepay in a popup or by redirect, then follow the verified status with the long poll until
 * it is final. Errors become a state and an `igepay-error` event, never an exception.
 */
export class CheckoutController implements ReactiveController {
  state: CheckoutState = { kind: 'ready' };
  readonly #host: CheckoutHost;
  readonly #context: CheckoutContext;
  #popup: Window | null = null;
  #stop: AbortController | undefined;
  #watch: ReturnType<typeof setInterval> | undefined;

  constructor(host: CheckoutHost, context: CheckoutContext) {
    this.#host = host;
    this.#context = context;
    host.addController(this);
  }

  /**
   * Back from igepay, a reload, another tab of the page, or the element moved in the page
   * (which disconnected it and stopped the long poll): follow the pending order again.
   */
  hostConnected(): void {
    const { state } = this;
    const pending = readPending(this.#context.pendingKey());
    if (pending && (state.kind === 'ready' || state.kind === 'waiting'))
      this.#follow(pending, state.kind !== 'waiting' || state.away);
  }

  /**
   * The payment window's name: the same across reloads, so "continue paying" reuses a window
   * still open from before.
   */
  get #popupName(): string {
    return `igepay-${this.#context.pendingKey()}`;
  }

  hostDisconnected(): void {
    this.#halt();
  }

  /**
   * Starts a checkout. Call it synchronously from the click handler: a popup can only be
   * opened before the first `await` (browsers block windows opened after a network round-trip).
   * A blocked popup falls back to redirect mode.
   */
  start(body: CheckoutRequest, mode: 'popup' | 'redirect'): void {
    const popup = mode === 'popup' ? this.#openPopup() : null;
    this.#set({ kind: 'creating' });
    void this.#create(body, popup);
  }

  /**
   * "Continue paying": posts the pending order's form again, into its window (the same order:
   * igepay shows the same payment), or by redirect when the window cannot open.
   */
  resume(mode: 'popup' | 'redirect'): void {
    const { state } = this;
    if (state.kind !== 'waiting') return;
    const popup = mode === 'popup' ? this.#openPopup() : null;
    if (popup) {
      this.#track(popup);
      submitGatewayForm(state.order.gateway, this.#popupName);
      this.#set({ ...state, away: false });
    } else {
      this.#redirect(state.order);
    }
  }

  /**
   * "Start over": the buyer gives up the pending order, and only then may a new checkout begin.
   * The order stays pending on the server until it expires.
   */
  startOver(): void {
    const { state } = this;
    if (state.kind !== 'waiting') return;
    this.#halt();
    this.#popup?.close();
    clearPending(this.#context.pendingKey());
    this.#set({ kind: 'ready' });
    this.#host.dispatchEvent(new IgepayCancelEvent({ order_id: state.order.order_id }));
  }

  async #create(body: CheckoutRequest, popup: Window | null): Promise<void> {
    try {
      const checkout = await createCheckout(
        this.#context.serverUrl(),
        popup ? body : { ...body, return_to: location.href },
      );
      const { gateway } = checkout;
      // The simulated cashier speaks the shop's language (igepay's own has one). Its address is
      // the sandbox server's own, which has no query.
      if (checkout.sandbox) gateway.action += `?lang=${this.#context.strings().lang}`;
      const order: ActiveOrder = {
        order_id: checkout.order_id,
        client_secret: checkout.client_secret,
        price: gateway.fields.price,
        channel: body.channel,
        gateway,
      };
      this.#host.dispatchEvent(new IgepayOrderEvent({ order_id: order.order_id }));
      if (!popup) return this.#redirect(order);
      savePending(this.#context.pendingKey(), order);
      this.#track(popup);
      submitGatewayForm(gateway, this.#popupName);
      this.#follow(order, false);
    } catch (error) {
      popup?.close();
      this.#error(error);
    }
  }

  #openPopup(): Window | null {
    const popup = window.open('', this.#popupName, POPUP_FEATURES);
    // The pay page must not be able to navigate this page (reverse tabnabbing).
    if (popup) popup.opener = null;
    return popup;
  }

  #redirect(order: ActiveOrder): void {
    savePending(this.#context.pendingKey(), order);
    this.#set({ kind: 'waiting', order, away: true });
    submitGatewayForm(order.gateway, '_self');
  }

  /** Notices the buyer closing the payment window; the status keeps being followed. */
  #track(popup: Window): void {
    this.#popup = popup;
    clearInterval(this.#watch);
    this.#watch = setInterval(() => {
      if (!popup.closed) return;
      clearInterval(this.#watch);
      if (this.state.kind === 'waiting') this.#set({ ...this.state, away: true });
    }, 500);
  }

  /** Follows the order's status with the long poll: one request at a time, no hard cut-off. */
  #follow(order: ActiveOrder, away: boolean): void {
    this.#stop?.abort();
    const stop = new AbortController();
    this.#stop = stop;
    this.#set({ kind: 'waiting', order, away });
    void this.#poll(order, stop.signal);
  }

  async #poll(order: ActiveOrder, signal: AbortSignal): Promise<void> {
    let backoff = 1000;
    while (!signal.aborted) {
      if (document.visibilityState === 'hidden') {
        await pause(signal); // Then looks again: the tab may be hidden once more.
        continue;
      }
      const asked = Date.now();
      let view: OrderView;
      try {
        view = await orderStatus(this.#context.serverUrl(), order, WAIT_SECONDS, signal);
      } catch (error) {
        if (signal.aborted) return;
        if (error instanceof ServerError && error.status === 404) return this.#error(error);
        // A busy server says how long to wait (Retry-After). Everything orderStatus throws but
        // an abort is a ServerError.
        await pause(signal, ((error as ServerError).retryAfter || backoff) + Math.random() * 500);
        backoff = Math.min(backoff * 2, 30_000);
        continue;
      }
      backoff = 1000;
      if (view.status !== OrderStatus.Pending) return this.#finish(order, view, view.status);
      // A server that answers at once (no long poll) is not hammered.
      if (Date.now() - asked < 1000) await pause(signal, 1000);
    }
  }

  /** The order's status is final: show it (the states are named as the statuses) and announce it. */
  #finish(
    order: ActiveOrder,
    view: OrderView,
    status: Exclude<OrderStatus, typeof OrderStatus.Pending>,
  ): void {
    this.#halt();
    // igepay sends the window to return_url 1-3 s after notifying, and the return page closes
    // it; close it here too, in case that never comes.
    const popup = this.#popup;
    // Failed or expired: nothing can be paid in it any more, so it goes at once (and a new
    // order's window, which has the same name, is never the one a late timer closes).
    if (popup) setTimeout(() => popup.close(), status === OrderStatus.Paid ? POPUP_GRACE_MS : 0);
    clearPending(this.#context.pendingKey());
    this.#set({ kind: status, order: { ...order, price: view.price }, view });
    const text = this.#context.strings();
    this.#host.dispatchEvent(
      status === OrderStatus.Paid
        ? new IgepayPaidEvent({ order_id: view.order_id, price: view.price, channel: view.channel })
        : status === OrderStatus.Failed
          ? new IgepayErrorEvent({ code: PAYMENT_FAILED, message: text.failed })
          : new IgepayErrorEvent({ code: ORDER_EXPIRED, message: text.expired }),
    );
  }

  #error(error: unknown): void {
    this.#halt();
    clearPending(this.#context.pendingKey());
    const text = this.#context.strings();
    let code: number = NETWORK_ERROR_CODE;
    let message = text.network;
    let serverMessage: string | undefined;
    const server = this.#context.serverUrl();
    if (error instanceof ServerError && error.status !== 0) {
      code = error.code;
      serverMessage = error.message;
      // The buyer reads their own language; the server's English is the developer's.
      message =
        error.status === 429
          ? text.rateLimited
          : code === 4006
            ? text.badAmount
            : error.status >= 500
              ? text.unavailable
              : text.refused;
      console.warn(`<igepay-button>: ${server} refused (${code}): ${serverMessage}`);
    } else if (new URL(server, location.href).origin !== location.origin) {
      // A browser tells a page nothing about a CORS refusal: name the likely setting.
      console.warn(
        `<igepay-button>: cannot reach ${server}. If it is running, its IGEPAY_ALLOWED_ORIGINS must include ${location.origin}.`,
      );
    }
    this.#set({ kind: 'error', code, message });
    this.#host.dispatchEvent(
      new IgepayErrorEvent({ code, message, ...(serverMessage && { serverMessage }) }),
    );
  }

  #halt(): void {
    this.#stop?.abort();
    this.#stop = undefined;
    clearInterval(this.#watch);
  }

  #set(state: CheckoutState): void {
    this.state = state;
    this.#host.requestUpdate();
  }
}
