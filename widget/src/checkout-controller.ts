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
const POPUP_FEATURES = 'popup=yes,width=480,height=760';
/** How long a finished payment's window may stay open to reach the return page. */
const POPUP_GRACE_MS = 5000;

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal.addEventListener('abort', () => {
      clearTimeout(timer);
      resolve();
    });
  });
}

function whenVisible(signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      document.removeEventListener('visibilitychange', check);
      resolve();
    };
    const check = () => {
      if (document.visibilityState === 'visible') done();
    };
    document.addEventListener('visibilitychange', check);
    signal.addEventListener('abort', done);
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
  readonly #popupName = `igepay-${Math.random().toString(36).slice(2)}`;
  #popup: Window | null = null;
  #stop: AbortController | undefined;
  #watch: ReturnType<typeof setInterval> | undefined;

  constructor(host: CheckoutHost, context: CheckoutContext) {
    this.#host = host;
    this.#context = context;
    host.addController(this);
  }

  /** Back from igepay in redirect mode (or a reload while waiting): resume the pending order. */
  hostConnected(): void {
    const pending = readPending(this.#context.pendingKey());
    if (pending && this.state.kind === 'ready') this.#follow(pending, true);
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

  /** Posts the order's form again, into a new window (the same order: igepay shows the same payment). */
  reopen(): void {
    const { state } = this;
    if (state.kind !== 'waiting' || !state.order.gateway) return;
    const popup = this.#openPopup();
    if (popup) {
      this.#track(popup);
      submitGatewayForm(state.order.gateway, this.#popupName);
      this.#set({ ...state, popupClosed: false });
    } else {
      this.#redirect(state.order);
    }
  }

  /** The buyer gives up: stop waiting. The order stays pending on the server until it expires. */
  cancel(): void {
    const { state } = this;
    if (state.kind !== 'waiting') return;
    this.#halt();
    this.#popup?.close();
    clearPending(this.#context.pendingKey());
    this.#set({ kind: 'ready' });
    this.#host.dispatchEvent(new IgepayCancelEvent({ order_id: state.order.order_id }));
  }

  /** Back to ready after a final state, to pay again. */
  reset(): void {
    if (this.state.kind !== 'waiting' && this.state.kind !== 'creating') this.#set({ kind: 'ready' });
  }

  async #create(body: CheckoutRequest, popup: Window | null): Promise<void> {
    try {
      const checkout = await createCheckout(
        this.#context.serverUrl(),
        popup ? body : { ...body, return_to: location.href },
      );
      const order: ActiveOrder = {
        order_id: checkout.order_id,
        client_secret: checkout.client_secret,
        price: checkout.gateway.fields.price,
        channel: body.channel,
        gateway: checkout.gateway,
      };
      this.#host.dispatchEvent(new IgepayOrderEvent({ order_id: order.order_id }));
      if (!popup) return this.#redirect(order);
      this.#track(popup);
      submitGatewayForm(checkout.gateway, this.#popupName);
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
    if (!order.gateway) return;
    savePending(this.#context.pendingKey(), {
      order_id: order.order_id,
      client_secret: order.client_secret,
      price: order.price,
      channel: order.channel,
    });
    this.#set({ kind: 'waiting', order, popupClosed: false, redirect: true });
    submitGatewayForm(order.gateway, '_self');
  }

  /** Notices the buyer closing the payment window; the status keeps being followed. */
  #track(popup: Window): void {
    this.#popup = popup;
    clearInterval(this.#watch);
    this.#watch = setInterval(() => {
      if (!popup.closed) return;
      clearInterval(this.#watch);
      if (this.state.kind === 'waiting') this.#set({ ...this.state, popupClosed: true });
    }, 500);
  }

  /** Follows the order's status with the long poll: one request at a time, no hard cut-off. */
  #follow(order: ActiveOrder, redirect: boolean): void {
    this.#stop?.abort();
    const stop = new AbortController();
    this.#stop = stop;
    this.#set({ kind: 'waiting', order, popupClosed: false, redirect });
    void this.#poll(order, stop.signal);
  }

  async #poll(order: ActiveOrder, signal: AbortSignal): Promise<void> {
    let backoff = 1000;
    while (!signal.aborted) {
      if (document.visibilityState === 'hidden') {
        await whenVisible(signal);
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
        await sleep(((error as ServerError).retryAfter || backoff) + Math.random() * 500, signal);
        backoff = Math.min(backoff * 2, 30_000);
        continue;
      }
      backoff = 1000;
      if (view.status !== OrderStatus.Pending) return this.#finish(order, view, view.status);
      // A server that answers at once (no long poll) is not hammered.
      if (Date.now() - asked < 1000) await sleep(1000, signal);
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
    // Expired: nothing can be paid in it any more, so it goes at once.
    if (popup) setTimeout(() => popup.close(), status === OrderStatus.Expired ? 0 : POPUP_GRACE_MS);
    clearPending(this.#context.pendingKey());
    this.#set({ kind: status, order: { ...order, price: view.price } });
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
