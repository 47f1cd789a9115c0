import { html, type PropertyDeclarations } from 'lit';
import { type AuditEntry, get, signOutEverywhere } from '../api.js';
import { timeText } from '../i18n.js';
import { View } from './view.js';

/** The audit trail: every sign-in, sign-out and action, newest first; and signing out everywhere. */
export class IgepayAudit extends View {
  static override properties: PropertyDeclarations = {
    actions: { state: true },
  };

  declare private actions: AuditEntry[] | undefined;

  override connectedCallback(): void {
    super.connectedCallback();
    void this.attempt(async () => {
      this.actions = (await get('audit')).actions;
    });
  }

  override render() {
    const { s, actions } = this;
    if (!actions) return this.failureLine();
    return html`${this.failureLine()}
      <h1>${s.audit}</h1>
      <section class="card scroll">
        <table>
          <thead>
            <tr><th>${s.when}</th><th>${s.action}</th><th>${s.target}</th><th>${s.note}</th>
              <th class="hide-narrow">${s.session}</th><th class="hide-narrow">${s.client}</th></tr>
          </thead>
          <tbody>
            ${actions.map(
              (a) => html`<tr>
                <td>${timeText(a.at, this.language)}</td>
                <td>${s.actions[a.action] ?? a.action}</td>
                <td>${a.target ?? ''}</td>
                <td>${a.note ?? ''}</td>
                <td class="hide-narrow"><code>${a.session}</code></td>
                <td class="hide-narrow">${a.client}</td>
              </tr>`,
            )}
          </tbody>
        </table>
      </section>
      <section class="card">
        <h2>${s.sessions}</h2>
        <p class="muted">${s.sessionsHint}</p>
        <button @click=${() => this.attempt(signOutEverywhere)}>${s.signOutEverywhere}</button>
      </section>`;
  }
}

customElements.define('igepay-audit', IgepayAudit);
