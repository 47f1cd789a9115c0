import { CHANNELS, ORDER_STATUSES } from '@igepay/shared/browser';
import { html, type PropertyDeclarations } from 'lit';
import { get, type Order } from '../api.js';
import { timeText } from '../i18n.js';
import { channelText, statusTag, yuan } from './format.js';
import { View } from './view.js';

const FILTERS = ['q', 'status', 'channel', 'product', 'from', 'to'] as const;

/**
 * The orders list: a search (order id, order_uid, or part of the name), filters, keyset pages
 * ("load more"), and the CSV of the whole filtered set. The filters live in the location hash,
 * so a filtered list can be bookmarked and the back button returns to it.
 */
export class IgepayOrders extends View {
  static override properties: PropertyDeclarations = {
    loading: { state: true },
    query: { attribute: false },
    orders: { state: true },
    next: { state: true },
  };

  /** The filters, as the hash's query (`q=…&status=paid`). */
  declare query: string;
  declare private orders: Order[];
  declare private next: string | null;

  constructor() {
    super();
    this.loading = false;
    this.query = '';
    this.orders = [];
    this.next = null;
  }

  declare private loading: boolean;

  override willUpdate(changed: Map<string, unknown>): void {
    if (changed.has('query')) void this.#load();
  }

  /** The API's query: the filters, dates as the start of the local day, the end day included. */
  #apiQuery(): URLSearchParams {
    const given = new URLSearchParams(this.query);
    const api = new URLSearchParams();
    for (const key of FILTERS) {
      const value = given.get(key);
      if (!value) continue;
      if (key === 'from' || key === 'to') {
        const day = new Date(`${value}T00:00:00`);
        if (key === 'to') day.setDate(day.getDate() + 1);
        api.set(key, day.toISOString());
      } else api.set(key, value);
    }
    return api;
  }

  async #load(after?: string): Promise<void> {
    this.loading = true;
    const query = this.#apiQuery();
    if (after) query.set('after', after);
    await this.attempt(async () => {
      const page = await get('orders', {}, query.toString());
      this.orders = after ? [...this.orders, ...page.orders] : page.orders;
      this.next = page.next;
    });
    this.loading = false;
  }

  #filter(event: SubmitEvent): void {
    event.preventDefault();
    const data = new FormData(event.target as HTMLFormElement);
    const query = new URLSearchParams();
    for (const key of FILTERS) {
      const value = String(data.get(key) ?? '').trim();
      if (value) query.set(key, value);
    }
    location.hash = `#/orders?${query}`;
  }

  override render() {
    const { s } = this;
    const given = new URLSearchParams(this.query);
    const value = (key: string) => given.get(key) ?? '';
    const option = (key: string, v: string, label: string) =>
      html`<option value=${v} ?selected=${value(key) === v}>${label}</option>`;
    return html`<form class="card row" role="search" @submit=${this.#filter}>
        <label>${s.search}
          <input type="search" name="q" .value=${value('q')} size="30" maxlength="100" />
        </label>
        <label>${s.status}
          <select name="status">
            ${option('status', '', s.any)} ${ORDER_STATUSES.map((v) => option('status', v, s[v]))}
          </select>
        </label>
        <label>${s.channel}
          <select name="channel">
            ${option('channel', '', s.any)} ${CHANNELS.map((v) => option('channel', v, s[v]))}
          </select>
        </label>
        <label>${s.product} <input name="product" .value=${value('product')} size="10" maxlength="64" /></label>
        <label>${s.from} <input type="date" name="from" .value=${value('from')} /></label>
        <label>${s.to} <input type="date" name="to" .value=${value('to')} /></label>
        <button>${s.apply}</button>
        <a href=${`api/orders.csv?${this.#apiQuery()}&tz_offset=${-new Date().getTimezoneOffset()}`} download>${s.csv}</a>
      </form>
      ${this.failureLine()}
      <section class="card scroll" aria-busy=${this.loading ? 'true' : 'false'}>
        <table>
          <thead>
            <tr>
              <th>${s.orderId}</th><th>${s.name}</th><th class="num">${s.price}</th><th>${s.channel}</th>
              <th>${s.status}</th><th class="hide-narrow">${s.created}</th>
            </tr>
          </thead>
          <tbody>
            ${this.orders.map(
              (order) => html`<tr>
                <td><a href=${`#/orders/${encodeURIComponent(order.order_id)}`} title=${order.order_id}
                  ><span class="hide-narrow">${order.order_id}</span
                  ><span class="only-narrow">…${order.order_id.slice(-8)}</span></a></td>
                <td>${order.order_name ?? order.product ?? ''}</td>
                <td class="num">${yuan(order.price)}</td>
                <td>${channelText(order.channel, s)}</td>
                <td>${statusTag(order, s)}</td>
                <td class="hide-narrow">${timeText(order.created_at, this.language)}</td>
              </tr>`,
            )}
          </tbody>
        </table>
        ${!this.loading && this.orders.length === 0 ? html`<p class="muted">${s.none}</p>` : ''}
        ${this.next ? html`<p><button class="quiet" ?disabled=${this.loading} @click=${() => this.#load(this.next ?? undefined)}>${s.more}</button></p>` : ''}
      </section>`;
  }
}

customElements.define('igepay-orders', IgepayOrders);
