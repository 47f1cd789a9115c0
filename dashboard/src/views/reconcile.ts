import { html, type PropertyDeclarations } from 'lit';
import { get, post, type Unapplied } from '../api.js';
import { timeText } from '../i18n.js';
import { yuan } from './format.js';
import { resolveForm } from './resolve-form.js';
import { View } from './view.js';

/** What needs resolving: notifications igepay signed that could not be applied (`igepay reconcile`). */
export class IgepayReconcile extends View {
  static override properties: PropertyDeclarations = {
    unapplied: { state: true },
  };

  declare private unapplied: Unapplied[] | undefined;

  override connectedCallback(): void {
    super.connectedCallback();
    void this.#load();
  }

  async #load(): Promise<void> {
    await this.attempt(async () => {
      this.unapplied = (await get('unapplied')).unapplied;
    });
  }

  async #resolve(id: number, note: string): Promise<void> {
    await this.attempt(() => post('resolve', { id }, { note }));
    await this.#load();
  }

  override render() {
    const { s, unapplied } = this;
    if (!unapplied) return this.failureLine();
    return html`${this.failureLine()}
      <h1>${s.unapplied}</h1>
      ${unapplied.length === 0 ? html`<p class="paid">${s.noUnapplied}</p>` : ''}
      ${unapplied.map(
        (u) => html`<section class="card" aria-label=${`${s.unapplied} ${u.id}`}>
          <h2><span class="warn">${s.reasonText(u.reason)}</span> <code class="muted">${u.reason}</code> · ${yuan(u.price)} ·
            <a href=${`#/orders/${encodeURIComponent(u.order_id)}`}>${u.order_id}</a></h2>
          <p class="muted">${s.received} ${timeText(u.received_at, this.language)}${u.pay_num ? ` · pay_num ${u.pay_num}` : ''}${u.code ? ` · code ${u.code}` : ''}</p>
          ${u.suppressed_variants > 0 ? html`<p class="warn">${s.variants(u.suppressed_variants)}</p>` : ''}
          <pre>${JSON.stringify(u.fields, null, 2)}</pre>
          ${resolveForm(s, u, (note) => this.#resolve(u.id, note))}
        </section>`,
      )}`;
  }
}

customElements.define('igepay-reconcile', IgepayReconcile);
