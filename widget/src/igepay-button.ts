import type { CheckoutRequest, PublicConfig } from '@igepay/shared';
import { CHANNELS, type Channel, formatPrice, groupedPrice, parsePrice } from '@igepay/shared/browser';
import { html, nothing } from 'lit-html';
import { normalizeAmount } from './amount.js';
import { loadConfig } from './api.js';
import { BaseElement, type PropertyValues } from './base-element.js';
import { CheckoutController } from './checkout-controller.js';
import { type Lang, langOf, type Strings, strings } from './i18n.js';
import { styles } from './igepay-button.styles.js';
import { receipt } from './receipt.js';

/** Where this script was loaded from: the default signing server. */
const SCRIPT_ORIGIN = new URL(import.meta.url).origin;

/** What the console was told already: each set-up problem once a page, however many elements share it. */
const told = new Set<string>();

/**
 * `<igepay-button>`: take WeChat Pay and Alipay through igepay on any page. The buyer picks a
 * channel and pays on igepay's page (in a popup, or by redirect); the element shows the
 * status the server verified. It never sees the merchant's token and computes no signature.
 *
 * @fires {IgepayOrderEvent} igepay-order - The server created the order: `{ order_id }`.
 * @fires {IgepayPaidEvent} igepay-paid - The payment was verified: `{ order_id, price, channel }`. Once per order.
 * @fires {IgepayErrorEvent} igepay-error - Something went wrong: `{ code, message, serverMessage? }` (`code` 0: network; 4020: payment failed; 4100: order expired; otherwise the server's code). `message` is the buyer's, in the element's language; `serverMessage` the server's English.
 * @fires {IgepayCancelEvent} igepay-cancel - The buyer stopped waiting for a payment: `{ order_id }`.
 *
 * @csspart base - The element's layout box.
 * @csspart amount - The amount row (name and price, or the amount field).
 * @csspart name - The product name.
 * @csspart price - The price.
 * @csspart amount-input - The amount field of an open amount.
 * @csspart preset - A preset amount button.
 * @csspart channels - The group of payment methods.
 * @csspart channel - One payment method (also `channel-wechat` or `channel-alipay`).
 * @csspart button - The pay button; "Continue paying" while an order is pending with the method chosen (`aria-busy` while it is being made, or while a payment igepay sent the buyer back from is confirmed).
 * @csspart start-over - "Start over": gives up the pending order, so that a new one can be made.
 * @csspart status - The status line (an `aria-live` region; two lines are kept for it).
 * @csspart receipt - The paid order's receipt (item, amount, method, order number, time), in place of the inputs.
 * @csspart again - "Pay again", under a receipt: the element is ready for another purchase.
 *
 * @cssproperty --igepay-accent - Colour of the pay button, the chosen method's border and the pressed preset (default: the chosen channel's colour).
 * @cssproperty --igepay-accent-text - Pay button text colour.
 * @cssproperty --igepay-radius - Corner radius of fields and buttons.
 * @cssproperty --igepay-font - Font family.
 * @cssproperty --igepay-text - Text colour.
 * @cssproperty --igepay-muted - Secondary text colour.
 * @cssproperty --igepay-background - Background of fields and choices.
 * @cssproperty --igepay-border - Border colour.
 * @cssproperty --igepay-success - Colour of the paid status.
 * @cssproperty --igepay-danger - Colour of errors.
 * @cssproperty --igepay-focus - Focus ring colour.
 * @cssproperty --igepay-wechat - WeChat Pay's colour (deepened for contrast).
 * @cssproperty --igepay-alipay - Alipay's colour (deepened for contrast).
 */
export class IgepayButton extends BaseElement {
  static override styles = styles;

  static override properties = {
    // Strings unless told.
    server: {},
    price: {},
    product: {},
    channels: {},
    channel: { reflect: true },
    orderName: { attribute: 'order-name' },
    orderUid: { attribute: 'order-uid' },
    mode: {},
    lang: {},
    disabled: { type: Boolean, reflect: true },
    presets: {},
    _config: { state: true },
    _amount: { state: true },
    _amountError: { state: true },
    _configError: { state: true },
  };

  /** Base URL of the signing server. Default: the origin `/widget.js` was loaded from. */
  declare server: string;
  /** A fixed open amount in yuan (`12.30`). Give `price` or `product`; with neither, the buyer types the amount. */
  declare price: string | undefined;
  /** A catalog product key: the server decides its name and price. */
  declare product: string | undefined;
  /** The payment methods offered, space-separated. */
  declare channels: string;
  /** The preselected payment method (`wechat` or `alipay`); reflects the buyer's choice. */
  declare channel: Channel | undefined;
  /** The product name shown at igepay for an open amount. */
  declare orderName: string | undefined;
  /** Your customer id, shown in igepay's back office and echoed in the notification. */
  declare orderUid: string | undefined;
  /** `popup` (default): pay in a window over the page. `redirect`: the page goes to igepay and comes back. */
  declare mode: 'popup' | 'redirect';
  /** `zh-CN` or `en`; by default the nearest `lang` of the page, then the browser's language (Chinese unless English). */
  declare lang: Lang;
  /** Disables the element. */
  declare disabled: boolean;
  /** Amounts the buyer can pick for an open amount, space-separated (`6.66 18.88 66`). */
  declare presets: string | undefined;

  /** The server's public settings (bounds, catalog), once loaded. */
  declare private _config: PublicConfig | undefined;
  /** What the buyer typed as the amount. */
  declare private _amount: string;
  /** Why the typed amount cannot be paid, if it cannot. */
  declare private _amountError: string | undefined;
  /** Why the server's settings could not be read (for the developer), if they could not. */
  declare private _configError: string | undefined;

  #configRetry: ReturnType<typeof setTimeout> | undefined;

  readonly #checkout: CheckoutController;

  constructor() {
    super();
    this.server = SCRIPT_ORIGIN;
    this.channels = CHANNELS.join(' ');
    this.mode = 'popup';
    this.disabled = false;
    this._amount = '';
    this.#checkout = new CheckoutController(this, {
      serverUrl: () => this.#serverUrl,
      // Several buttons may share a page: each resumes its own order after a redirect.
      pendingKey: () => `${this.#serverUrl}|${this.id || this.product || this.price || 'open'}`,
      strings: () => this.#strings,
    });
  }

  /** The signing server's base URL, without a trailing slash. */
  get #serverUrl(): string {
    return this.server.replace(/\/+$/, '');
  }

  get #strings(): Strings {
    return strings(langOf(this));
  }

  /** The methods offered, in the protocol's order. */
  get #offered(): Channel[] {
    const wanted = this.channels.split(/\s+/);
    return CHANNELS.filter((channel) => wanted.includes(channel));
  }

  get #inWeChat(): boolean {
    return /MicroMessenger/i.test(navigator.userAgent);
  }

  get #selected(): Channel | undefined {
    const offered = this.#offered;
    return this.channel && offered.includes(this.channel) ? this.channel : offered[0];
  }

  /** The amount to show on the button, exactly 2 decimals, when known. */
  get #displayPrice(): string | undefined {
    if (this.product) return this._config?.products[this.product]?.price;
    const cents = parsePrice(this.price ?? normalizeAmount(this._amount));
    return cents === undefined || cents === 0 ? undefined : formatPrice(cents);
  }

  override connectedCallback(): void {
    super.connectedCallback();
    // Moved in the page while its server could not be reached: the retry stopped with the move.
    if (this._configError) this.#loadConfig(5000);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    clearTimeout(this.#configRetry);
  }

  /**
   * Reads the server's settings, and what it makes of this element's attributes; asks again
   * later, less and less often, while it cannot.
   */
  #loadConfig(retryMs: number): void {
    const server = this.#serverUrl;
    const [name, value] = this.product ? ['product', this.product] : ['price', this.price];
    clearTimeout(this.#configRetry);
    loadConfig(server, value ? `?${name}=${encodeURIComponent(value)}` : '').then(
      (config) => {
        this._config = config;
        this._configError = undefined;
      },
      () => {
        this._configError = `no igepay server answers at ${server}/api/config: is it running, and is the server attribute its address?`;
        this.#configRetry = setTimeout(() => this.#loadConfig(Math.min(retryMs * 2, 60_000)), retryMs);
      },
    );
  }

  /**
   * Why this element cannot take a payment, as the buyer reads it and as the developer fixes
   * it; nothing while the server's settings are not known yet.
   */
  get #problem(): readonly [buyer: string, fix: string] | undefined {
    const text = this.#strings;
    const problem = this._config?.problem;
    return this._configError
      ? [text.network, this._configError]
      : problem
        ? [text.refused, `${this.#serverUrl}: ${problem}`]
        : undefined;
  }

  /** The method shown as chosen: the pending order's, else the buyer's. */
  get #shown(): Channel | undefined {
    const { state } = this.#checkout;
    return state.kind === 'waiting' ? state.order.channel : this.#selected;
  }

  /** How the gateway's page opens here. WeChat's in-app browser blocks popups to other sites. */
  get #mode(): 'popup' | 'redirect' {
    return this.#inWeChat || this.mode === 'redirect' ? 'redirect' : 'popup';
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('server') || changed.has('product') || changed.has('price')) this.#loadConfig(5000);
    // The accent follows the method on show, the pending order's included.
    this.dataset.channel = this.#shown ?? '';
    const fix = this.#problem?.[1];
    if (fix && !told.has(fix)) {
      told.add(fix);
      console.warn(`<igepay-button>: ${fix}`);
    }
  }

  /** Starts the checkout (the pay button's click handler). */
  #pay(): void {
    const channel = this.#selected;
    const { kind } = this.#checkout.state;
    // One checkout at a time, whichever way it is asked for (a click, Enter in the amount field):
    // a pending order must be given up first ("start over").
    if (
      !channel ||
      this.disabled ||
      this.#problem ||
      kind === 'creating' ||
      kind === 'waiting' ||
      kind === 'paid'
    )
      return;
    const body: { -readonly [K in keyof CheckoutRequest]: CheckoutRequest[K] } = { channel };
    if (this.product) body.product = this.product;
    else {
      // A `price` attribute the server would refuse disabled the element already.
      const price = this.price ?? this.#checkedAmount();
      if (price === undefined) return;
      body.price = price;
      if (this.orderName) body.order_name = this.orderName;
    }
    if (this.orderUid) body.order_uid = this.orderUid;
    this.#checkout.start(body, this.#mode);
  }

  /** The typed amount, if it is one the server accepts; otherwise says why. */
  #checkedAmount(): string | undefined {
    const cents = parsePrice(normalizeAmount(this._amount));
    const min = parsePrice(this._config?.min_price) ?? 1;
    const max = parsePrice(this._config?.max_price);
    if (cents === undefined || cents < min || (max !== undefined && cents > max)) {
      this._amountError = this.#strings.amountRange(
        formatPrice(min),
        max === undefined ? '…' : formatPrice(max),
      );
      return undefined;
    }
    this._amountError = undefined;
    return formatPrice(cents);
  }

  #choose(event: Event): void {
    this.channel = (event.target as HTMLInputElement).value as Channel;
  }

  #amountRow(text: Strings) {
    if (this.product || this.price) {
      const name = this.product ? this._config?.products[this.product]?.name : this.orderName;
      const price = this.#displayPrice;
      return html`<div part="amount" class="amount">
        <span part="name">${name ?? ''}</span>
        <span part="price" class="price">${price ? `¥${groupedPrice(price)}` : ''}</span>
      </div>`;
    }
    const chosen = parsePrice(normalizeAmount(this._amount));
    const { kind } = this.#checkout.state;
    const off = this.disabled || !!this.#problem || kind === 'creating' || kind === 'waiting';
    const presets = (this.presets ?? '').split(/\s+/).flatMap((p) => {
      const cents = parsePrice(p);
      return cents ? [formatPrice(cents)] : [];
    });
    return html`<label part="amount" class="field">
        <span aria-hidden="true">¥</span>
        <input
          part="amount-input"
          inputmode="decimal"
          autocomplete="off"
          placeholder="0.00"
          aria-label=${text.amount}
          aria-invalid=${!!this._amountError}
          .value=${this._amount}
          ?disabled=${off}
          @input=${(e: Event) => {
            this._amount = (e.target as HTMLInputElement).value;
            this._amountError = undefined;
          }}
          @keydown=${(e: KeyboardEvent) => {
            // Enter pays, as in a form (a key press lets the popup open, as a click does).
            if (e.key === 'Enter' && !e.isComposing) this.#pay();
          }}
        />
      </label>
      ${
        presets.length
          ? html`<div class="presets">
            ${presets.map(
              (p) =>
                html`<button part="preset" class="secondary" ?disabled=${off}
                  aria-pressed=${parsePrice(p) === chosen}
                  @click=${() => {
                    this._amount = p;
                    this._amountError = undefined;
                  }}>¥${groupedPrice(p)}</button>`,
            )}
          </div>`
          : nothing
      }`;
  }

  #status(text: Strings) {
    const { state } = this.#checkout;
    const selected = this.#selected;
    if (this.#inWeChat && selected === 'alipay' && state.kind === 'ready') return [text.inApp, 'bad'];
    if (this._amountError) return [this._amountError, 'bad'];
    switch (state.kind) {
      case 'ready':
        return [this.#problem?.[0] ?? '', 'bad'];
      case 'creating':
        return [text.creating, ''];
      case 'waiting':
        return state.confirming
          ? [text.noRepeat + text.ifPaid, ''] // The button spins.
          : state.away
            ? [
                text.unfinished(groupedPrice(state.order.price), text.channels[state.order.channel]) +
                  text.ifPaid,
                '',
              ]
            : [text.waiting, 'wait'];
      case 'paid':
        return [`✓ ${text.paid} ¥${groupedPrice(state.order.price)}`, 'paid'];
      case 'cancelled':
      case 'expired':
        return [
          `${text[state.kind]}${state.listening ? text.ifPaid : ''}`,
          state.kind === 'expired' ? 'bad' : '',
        ];
      case 'failed':
        return [text.failed, 'bad'];
      case 'error':
        return [state.message, 'bad'];
    }
  }

  // No button needs type="button": buttons in a shadow root never submit the page's forms.
  override render() {
    const text = this.#strings;
    const { state } = this.#checkout;
    const [message, tone] = this.#status(text);
    // The same rows in every state but paid, and room kept for the status: nothing moves.
    return html`<div part="base" class="base">
      ${state.kind === 'paid' ? receipt(text, state.view, () => this.#checkout.again()) : [this.#amountRow(text), this.#choices(text)]}
      <div class="foot ${tone}">
        ${this._config?.sandbox ? html`<span class="sandbox">${text.sandbox}</span>` : nothing}
        <div part="status" class="status ${tone}" role="status" aria-live="polite">${message}</div>
      </div>
    </div>`;
  }

  /** The payment methods and the pay button. */
  #choices(text: Strings) {
    const { state } = this.#checkout;
    const selected = this.#shown;
    const waiting = state.kind === 'waiting' ? state : undefined;
    const confirming = waiting?.confirming;
    const creating = state.kind === 'creating';
    const off = this.disabled || !!this.#problem;
    const blocked = this.#inWeChat && selected === 'alipay';
    const price = waiting ? waiting.order.price : this.#displayPrice;
    const offered = this.#offered;
    // One method is a fact to state, not a choice to make.
    const channels =
      offered.length === 1 && selected
        ? html`<div part="channels" class="channels">
          <span part="channel channel-${selected}" class="channel"><i class="mark"></i>${text.channels[selected]}</span>
        </div>`
        : html`<fieldset part="channels" class="channels" role="radiogroup" aria-label=${text.channelGroup}>
        ${offered.map(
          (channel) => html`<label part="channel channel-${channel}" class="channel">
            <input type="radio" name="channel" .value=${channel} .checked=${channel === selected}
              ?disabled=${off || creating || waiting} @change=${this.#choose} />
            <i class="mark"></i>${text.channels[channel]}
          </label>`,
        )}
      </fieldset>`;
    return html`${channels}
      <div class="row">
        <button part="button" class="pay" aria-busy=${creating || confirming ? 'true' : nothing}
          ?disabled=${off || creating || confirming || blocked || !selected}
          @click=${waiting ? () => this.#checkout.resume(this.#mode) : this.#pay}>
          ${confirming ? text.confirming : `${waiting ? text.resume : text.pay}${price ? ` ¥${groupedPrice(price)}` : ''}`}
        </button>
        ${
          waiting && !confirming
            ? html`<button part="start-over" class="secondary" @click=${() => this.#checkout.startOver()}>
              ${text.startOver}
            </button>`
            : nothing
        }
      </div>`;
  }
}

// Pages may load the script twice: define once. A server rendering the page has no registry.
if (globalThis.customElements && !customElements.get('igepay-button'))
  customElements.define('igepay-button', IgepayButton);

declare global {
  interface HTMLElementTagNameMap {
    'igepay-button': IgepayButton;
  }
  interface HTMLElementEventMap {
    'igepay-order': import('./events/igepay-order-event.js').IgepayOrderEvent;
    'igepay-paid': import('./events/igepay-paid-event.js').IgepayPaidEvent;
    'igepay-error': import('./events/igepay-error-event.js').IgepayErrorEvent;
    'igepay-cancel': import('./events/igepay-cancel-event.js').IgepayCancelEvent;
  }
}
