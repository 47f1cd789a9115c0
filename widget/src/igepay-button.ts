import type { CheckoutRequest, PublicConfig } from '@igepay/shared';
import { CHANNELS, type Channel, formatPrice, parsePrice } from '@igepay/shared/browser';
import { html, LitElement, nothing, type PropertyValues } from 'lit';
import { normalizeAmount } from './amount.js';
import { loadConfig } from './api.js';
import { CheckoutController } from './checkout-controller.js';
import { grouped, type Lang, langOf, type Strings, strings } from './i18n.js';
import { styles } from './igepay-button.styles.js';
import { MARKS } from './marks.js';

/** Where this script was loaded from: the default signing server. */
const SCRIPT_ORIGIN = new URL(import.meta.url).origin;

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
 * @csspart button - The pay button.
 * @csspart status - The status line (an `aria-live` region).
 * @csspart reopen - "Reopen the payment window".
 * @csspart cancel - "Cancel" while waiting.
 * @csspart retry - "Pay again" after a failure.
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
export class IgepayButton extends LitElement {
  static override styles = styles;

  static override properties = {
    server: { type: String },
    price: { type: String },
    product: { type: String },
    channels: { type: String },
    channel: { type: String, reflect: true },
    orderName: { type: String, attribute: 'order-name' },
    orderUid: { type: String, attribute: 'order-uid' },
    mode: { type: String },
    lang: { type: String },
    disabled: { type: Boolean, reflect: true },
    presets: { type: String },
    _config: { state: true },
    _amount: { state: true },
    _amountError: { state: true },
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
    loadConfig(this.#serverUrl).then(
      (config) => {
        this._config = config;
      },
      () => undefined, // Display only: paying works without it, and the checkout reports errors.
    );
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('channel') || changed.has('channels')) this.dataset.channel = this.#selected ?? '';
  }

  /** Starts the checkout (the pay button's click handler). */
  #pay(): void {
    const channel = this.#selected;
    const { kind } = this.#checkout.state;
    // One checkout at a time, whichever way it is asked for (a click, Enter in the amount field).
    if (!channel || this.disabled || kind === 'creating' || kind === 'waiting') return;
    const body: { -readonly [K in keyof CheckoutRequest]: CheckoutRequest[K] } = { channel };
    if (this.product) body.product = this.product;
    else {
      const price = this.price === undefined ? this.#checkedAmount() : this.#fixedPrice();
      if (price === undefined) return;
      body.price = price;
      if (this.orderName) body.order_name = this.orderName;
    }
    if (this.orderUid) body.order_uid = this.orderUid;
    // WeChat's in-app browser blocks popups to other sites: pay by redirect there.
    this.#checkout.start(body, this.#inWeChat ? 'redirect' : this.mode === 'redirect' ? 'redirect' : 'popup');
  }

  /** The `price` attribute as exactly 2 decimals; a malformed one goes as is, for the server to refuse clearly. */
  #fixedPrice(): string {
    const cents = parsePrice(this.price);
    return cents === undefined ? String(this.price) : formatPrice(cents);
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
        ${price ? html`<span part="price" class="price">¥${grouped(price)}</span>` : nothing}
      </div>`;
    }
    const chosen = parsePrice(normalizeAmount(this._amount));
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
          aria-invalid=${this._amountError ? 'true' : 'false'}
          .value=${this._amount}
          ?disabled=${this.disabled}
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
                html`<button part="preset" class="secondary" type="button" ?disabled=${this.disabled}
                  aria-pressed=${parsePrice(p) === chosen ? 'true' : 'false'}
                  @click=${() => {
                    this._amount = p;
                    this._amountError = undefined;
                  }}>¥${grouped(p)}</button>`,
            )}
          </div>`
          : nothing
      }`;
  }

  #status(text: Strings) {
    const { state } = this.#checkout;
    const selected = this.#selected;
    if (this.#inWeChat && selected === 'alipay' && state.kind === 'ready') return [text.inApp, 'bad'];
    switch (state.kind) {
      case 'ready':
        return [this._amountError ?? '', 'bad'];
      case 'creating':
        return [text.creating, ''];
      case 'waiting':
        return [
          state.popupClosed ? text.popupClosed : state.redirect ? text.waitingRedirect : text.waiting,
          '',
        ];
      case 'paid':
        return [`✓ ${text.paid(state.order.price)}`, 'paid'];
      case 'failed':
        return [text.failed, 'bad'];
      case 'expired':
        return [text.expired, 'bad'];
      case 'error':
        return [state.message, 'bad'];
    }
  }

  override render() {
    const text = this.#strings;
    const { state } = this.#checkout;
    const [message, tone] = this.#status(text);
    return html`<div part="base" class="base">
      ${this._config?.sandbox ? html`<span class="sandbox">${text.sandbox}</span>` : nothing}
      ${this.#amountRow(text)}
      ${state.kind === 'paid' ? nothing : this.#choices(text)}
      <div part="status" class="status ${tone}" role="status" aria-live="polite">${message}</div>
      ${this.#actions(text)}
    </div>`;
  }

  /** The payment methods and the pay button. */
  #choices(text: Strings) {
    const { state } = this.#checkout;
    const selected = this.#selected;
    const busy = state.kind === 'creating' || state.kind === 'waiting';
    const blocked = this.#inWeChat && selected === 'alipay';
    const offered = this.#offered;
    // One method is a fact to state, not a choice to make.
    const channels =
      offered.length === 1 && selected
        ? html`<div part="channels" class="channels">
          <span part="channel channel-${selected}" class="channel">${MARKS[selected]} ${text.channels[selected]}</span>
        </div>`
        : html`<fieldset part="channels" class="channels" role="radiogroup" aria-label=${text.channelGroup}>
        ${offered.map(
          (channel) => html`<label part="channel channel-${channel}" class="channel">
            <input type="radio" name="channel" .value=${channel} .checked=${channel === selected}
              ?disabled=${this.disabled || busy} @change=${this.#choose} />
            ${MARKS[channel]} ${text.channels[channel]}
          </label>`,
        )}
      </fieldset>`;
    return html`${channels}
      <button part="button" class="pay" type="button"
        ?disabled=${this.disabled || busy || blocked || !selected} @click=${this.#pay}>
        ${text.pay(this.#displayPrice)}
      </button>`;
  }

  #actions(text: Strings) {
    const { state } = this.#checkout;
    if (state.kind === 'waiting') {
      return html`<div class="actions">
        ${
          state.order.gateway
            ? html`<button part="reopen" class="secondary" type="button" @click=${() => this.#checkout.reopen()}>
              ${text.reopen}
            </button>`
            : nothing
        }
        <button part="cancel" class="secondary" type="button" @click=${() => this.#checkout.cancel()}>
          ${text.cancel}
        </button>
      </div>`;
    }
    if (state.kind === 'failed' || state.kind === 'expired' || state.kind === 'error') {
      return html`<div class="actions">
        <button part="retry" class="secondary" type="button" @click=${() => this.#checkout.reset()}>${text.retry}</button>
      </div>`;
    }
    return nothing;
  }
}

// Pages may load the script twice: define once.
if (!customElements.get('igepay-button')) customElements.define('igepay-button', IgepayButton);

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
