import type { CheckoutRequest, OrderView } from '@igepay/shared';
import { NETWORK_ERROR_CODE, OrderStatus } from '@igepay/shared/browser';
import { createCheckout, orderStatus, ServerError } from './api.js';
import type { ReactiveController, ReactiveControllerHost } from './base-element.js';
import { IgepayCancelEvent } from './events/igepay-cancel-event.js';
import { IgepayErrorEvent } from './events/igepay-error-event.js';
import { IgepayOrderEvent } from './events/igepay-order-event.js';
import { IgepayPaidEvent } from './events/igepay-paid-event.js';
import { submitGatewayForm } from './gateway-form.js';
import type { Strings } from './i18n.js';
import { clearPending, readPending, savePending } from './pending.js';
import { type ActiveOrder, type CheckoutState, ORDER_EXPIRED, PAYMENT_FAILED } from './state.js';

/** The element a controller serves: it renders the state and dispatches the events. */
export type CheckoutHost = ReactiveControllerHost & HTMLElement;

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
/** How long a receipt is shown again after a reload. */
const RECEIPT_MS = 24 * 3600_000;

/** Resolves after `ms`, or without `ms` when the tab shows again; at once when called off. */
function pause(signal: AbortSignal, ms?: number): Promise<void> {
  return new Promise((resolve) => {
    if (ms) setTimeout(resolve, ms);
    else document.addEventListener('visibilitychange', () => resolve(), { once: true, signal });
    signal.addEventListener('abort', () => resolve());
  });
}

/** Whether this page was shown by the browser's back or forward button. */
const cameBack = () =>
  (performance.getEntriesByType?.('navigation')[0] as PerformanceNavigationTiming | undefined)?.type ===
  'back_forward';

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
   * (which disconnected it and stopped the long poll): follow the kept order again.
   */
  hostConnected(): void {
    addEventListener('pageshow', this.#shown);
    this.#restore(cameBack());
  }

  hostDisconnected(): void {
    removeEventListener('pageshow', this.#shown);
    this.#halt();
  }

  /** A page restored from the back-forward cache runs no connect: follow its order again. */
  readonly #shown = (event: PageTransitionEvent): void => {
    if (event.persisted) this.#restore(true);
  };

  #restore(back: boolean): void {
    const { state } = this;
    const kept = readPending(this.#key);
    if (!kept) return;
    const { ended, view } = kept;
    // The state the element is in (moved in the page, or back from the cache), else the kept one's.
    const next: CheckoutState =
      state.kind !== 'ready'
        ? state
        : ended === 'paid'
          ? { kind: ended, order: kept, view: view as OrderView }
          : ended
            ? { kind: ended, order: kept, listening: true }
            : // Sent back by igepay (not by the back button): a payment is likely on its way.
              { kind: 'waiting', order: kept, away: true, confirming: kept.via === 'redirect' && !back };
    if (!('order' in next) || next.order.order_id !== kept.order_id) return;
    // A receipt a day old is let go: the element is ready for the next purchase.
    if (next.kind === 'paid' && !(Date.now() - Date.parse(next.view.paid_at ?? '') < RECEIPT_MS))
      this.again();
    else this.#set(next);
    if (next.kind === 'waiting' || ('listening' in next && next.listening)) {
      this.#track(this.#popup);
      this.#follow(next.order);
    }
  }

  /**
   * The payment window's name: the same across reloads, so "continue paying" reuses a window
   * still open from before, where the browser finds it by name.
   */
  get #popupName(): string {
    return `igepay-${this.#key}`;
  }

  /** Where this element's order is kept. */
  get #key(): string {
    return this.#context.pendingKey();
  }

  /**
   * Starts a checkout. Call it synchronously from the click handler: a popup can only be
   * opened before the first `await` (browsers block windows opened after a network round-trip).
   * A blocked popup falls back to redirect mode. An order still followed (cancelled, expired)
   * is let go.
   */
  start(body: CheckoutRequest, mode: 'popup' | 'redirect'): void {
    const old = this.#popup;
    this.#halt();
    const popup = mode === 'popup' ? this.#openPopup() : null;
    // The window of an expired order may still be open: one window still. Chromium and Firefox
    // gave it back by its name; WebKit a new one.
    if (old !== popup) old?.close();
    this.#set({ kind: 'creating' });
    void this.#create(body, popup);
  }

  /**
   * "Continue paying": back to the pending order's payment (the same order: igepay shows the
   * same payment), in its window if it is still open, else in a new one, or by redirect.
   */
  resume(mode: 'popup' | 'redirect'): void {
    const { state } = this;
    const open = this.#popup?.closed === false && this.#popup;
    if (state.kind !== 'waiting' || state.confirming) return;
    const popup = open || (mode === 'popup' && this.#openPopup());
    if (!popup) this.#redirect(state.order);
    else {
      if (popup === open) popup.focus();
      else this.#post(state.order, popup);
      this.#set({ ...state, away: false });
    }
  }

  /**
   * "Start over": the buyer gives up the pending order, and only then may a new checkout begin.
   * The order stays pending on the server until it expires.
   */
  startOver(): void {
    const { state } = this;
    if (state.kind !== 'waiting') return;
    this.#popup?.close();
    this.again();
    this.#host.dispatchEvent(new IgepayCancelEvent({ order_id: state.order.order_id }));
  }

  /** "Pay again", from a receipt: the element is ready for the next purchase. */
  again(): void {
    this.#halt();
    clearPending(this.#key);
    this.#set({ kind: 'ready' });
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
      savePending(this.#key, order);
      this.#set({ kind: 'waiting', order, away: false });
      // Closed before igepay's page could load: as if closed on it.
      if (popup.closed) this.#cancel(order);
      else this.#post(order, popup);
      this.#follow(order);
    } catch (error) {
      popup?.close();
      this.#error(error);
    }
  }

  #openPopup(): Window | null {
    const popup = window.open('', this.#popupName, POPUP_FEATURES);
    try {
      // The pay page must not be able to navigate this page (reverse tabnabbing).
      if (popup) popup.opener = null;
    } catch {
      // A window an earlier page opened, on igepay's page now: that page cut its opener already.
    }
    this.#track(popup);
    return popup;
  }

  /**
   * Sends the payment window to igepay: from inside its own blank document, which every engine
   * allows (WebKit finds no window by name once its opener is cut); a window an earlier page
   * opened, which this page may not write in, by its name (Chromium and Firefox find it; WebKit
   * gave a new blank window instead, written in as above).
   */
  #post(order: ActiveOrder, popup: Window): void {
    try {
      submitGatewayForm(order.gateway, popup);
    } catch {
      submitGatewayForm(order.gateway, window, this.#popupName);
    }
  }

  #redirect(order: ActiveOrder): void {
    // Sent back by igepay, the page confirms before offering anything (a blocked popup too).
    const sent = { ...order, via: 'redirect' as const };
    savePending(this.#key, sent);
    this.#set({ kind: 'waiting', order: sent, away: true });
    submitGatewayForm(order.gateway);
  }

  /** Notices the buyer closing the payment window while its payment is awaited. */
  #track(popup: Window | null): void {
    this.#popup = popup;
    clearInterval(this.#watch);
    if (popup)
      this.#watch = setInterval(() => {
        const { state } = this;
        if (!popup.closed) return;
        clearInterval(this.#watch);
        if (state.kind === 'waiting' && !state.away) this.#cancel(state.order);
      }, 500);
  }

  /**
   * The buyer closed the payment window unpaid (after cancelling there, or not): a fresh start,
   * while a payment made anyway (a code scanned on a phone) still shows.
   */
  #cancel(order: ActiveOrder): void {
    savePending(this.#key, { ...order, ended: 'cancelled' });
    this.#set({ kind: 'cancelled', order, listening: true });
    this.#host.dispatchEvent(new IgepayCancelEvent({ order_id: order.order_id }));
  }

  /** Follows the order's status with the long poll: one request at a time, no hard cut-off. */
  #follow(order: ActiveOrder): void {
    this.#stop?.abort();
    // Taken out of the page while its checkout was on its way: it follows the kept order when it
    // is put back (hostConnected), not unseen in the meantime, nor for ever.
    if (!this.#host.isConnected) return;
    const stop = new AbortController();
    this.#stop = stop;
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
        if (error instanceof ServerError && error.status === 404) {
          // Not this server's order (any more). An order given up already is just forgotten.
          return this.state.kind === 'waiting' ? this.#error(error) : this.again();
        }
        // A busy server says how long to wait (Retry-After). Everything orderStatus throws but
        // an abort is a ServerError.
        await pause(signal, ((error as ServerError).retryAfter || backoff) + Math.random() * 500);
        backoff = Math.min(backoff * 2, 30_000);
        continue;
      }
      backoff = 1000;
      if (signal.aborted) return;
      if (!this.#heard(order, view)) return;
      // A server that answers at once (no long poll) is not hammered.
      if (Date.now() - asked < 1000) await pause(signal, 1000);
    }
  }

  /** What the server said of the followed order; whether to keep following it. */
  #heard(order: ActiveOrder, view: OrderView): boolean {
    const { state } = this;
    const key = this.#key;
    switch (view.status) {
      case OrderStatus.Paid:
      case OrderStatus.Failed:
        this.#finish(order, view);
        return false;
      case OrderStatus.Expired: {
        // A payment begun before the expiry may still come: listened for until `late_until`.
        // A buyer who closed the window has moved on, and its expiry is not news to them.
        const listening = Date.now() < Date.parse(view.late_until);
        const kind = state.kind === 'cancelled' ? state.kind : 'expired';
        if (state.kind !== kind)
          this.#host.dispatchEvent(
            new IgepayErrorEvent({ code: ORDER_EXPIRED, message: this.#context.strings().expired }),
          );
        if (listening) savePending(key, { ...order, ended: kind });
        else clearPending(key);
        // igepay's page says for itself whether it can still be paid: the window stays.
        this.#set({ kind, order, listening });
        return listening;
      }
      default:
        // Still pending after a whole wait: the server says it is not paid (yet).
        if (state.kind === 'waiting' && state.confirming) this.#set({ ...state, confirming: false });
        return true;
    }
  }

  /** The order is paid or failed: show it (the states are named as the statuses) and announce it. */
  #finish(order: ActiveOrder, view: OrderView): void {
    const key = this.#key;
    const paid = view.status === OrderStatus.Paid;
    const text = this.#context.strings();
    this.#halt();
    // igepay sends the window to return_url 1-3 s after notifying, and the return page closes
    // it; close it here too, in case that never comes. A failed payment's goes at once (and a
    // new order's window, which has the same name, is never the one a late timer closes).
    const popup = this.#popup;
    if (popup) setTimeout(() => popup.close(), paid ? POPUP_GRACE_MS : 0);
    if (paid) savePending(key, { ...order, ended: 'paid', view });
    else clearPending(key);
    this.#set({ kind: paid ? 'paid' : 'failed', order: { ...order, price: view.price }, view });
    this.#host.dispatchEvent(
      paid
        ? new IgepayPaidEvent({ order_id: view.order_id, price: view.price, channel: view.channel })
        : new IgepayErrorEvent({ code: PAYMENT_FAILED, message: text.failed }),
    );
    // Back from igepay on a phone, the page may open far above the element.
    if (paid && order.via === 'redirect')
      void this.#host.updateComplete.then(() => this.#host.scrollIntoView({ block: 'nearest' }));
  }

  #error(error: unknown): void {
    this.#halt();
    clearPending(this.#key);
    const text = this.#context.strings();
    let code: number = NETWORK_ERROR_CODE;
    let message = text.network;
    let serverMessage: string | undefined;
    const server = this.#context.serverUrl();
    if (error instanceof ServerError && error.status !== 0) {
      code = error.code;
      serverMessage = error.message;
      // The buyer reads their own language; the server's English is the developer's.
      message = error.status === 429 || error.status >= 500 ? text.busy : text.refused;
      console.warn(`<igepay-button>: ${server} refused (${code}): ${serverMessage}`);
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
