import { css, html, nothing, type PropertyDeclarations } from 'lit';
import { get, type Overview, type Takings } from '../api.js';
import { timeText } from '../i18n.js';
import { dailyChart } from './chart.js';
import { yuan } from './format.js';
import { View } from './view.js';

/** The overview: takings today, over 7 and 30 days by channel, the daily chart, and what needs a person. */
export class IgepayOverview extends View {
  static override styles = [
    ...View.styles,
    css`
      .chart {
        width: 100%;
        height: auto;
      }
      .axis {
        stroke: var(--line);
      }
      .label {
        fill: var(--muted);
        font-size: 11px;
      }
      /* The chart scales with the screen: its labels must not shrink below reading size. */
      @media (max-width: 640px) {
        .label {
          font-size: 20px;
        }
      }
      .wechat-bar {
        fill: var(--wechat);
      }
      .alipay-bar {
        fill: var(--alipay);
      }
      .legend span::before {
        content: "";
        display: inline-block;
        width: 0.7em;
        height: 0.7em;
        margin-right: 0.3em;
        background: currentColor;
      }
      ul {
        margin: 0;
        padding-left: 1.1rem;
      }
    `,
  ];

  static override properties: PropertyDeclarations = {
    overview: { state: true },
  };

  declare private overview: Overview | undefined;

  override connectedCallback(): void {
    super.connectedCallback();
    // The merchant's day is the browser's: its offset from UTC, in minutes ahead.
    const offset = -new Date().getTimezoneOffset();
    void this.attempt(async () => {
      this.overview = await get('overview', {}, `tz_offset=${offset}`);
    });
  }

  #takings(title: string, takings: Takings) {
    const { s } = this;
    return html`<section class="card" aria-label=${title}>
      <h2>${title}</h2>
      <div class="big">${yuan(takings.total)}</div>
      <div class="muted">${s.payments(takings.count)}</div>
      <div><span class="wechat">${s.wechat}</span> ${yuan(takings.by_channel.wechat)}</div>
      <div><span class="alipay">${s.alipay}</span> ${yuan(takings.by_channel.alipay)}</div>
    </section>`;
  }

  override render() {
    const { s, overview } = this;
    if (!overview) return this.failureLine();
    const a = overview.attention;
    const items = [
      [a.unapplied_notifications, s.unapplied, '#/reconcile'],
      [a.late_payments, s.late, ''],
      [a.undelivered_events, s.undelivered, ''],
      [a.rejected_notifications, s.rejected, ''],
    ] as const;
    const waiting = items.filter(([count]) => count > 0);
    return html`${this.failureLine()}
      <div class="grid">
        ${this.#takings(s.today, overview.today)} ${this.#takings(s.days7, overview.last_7_days)}
        ${this.#takings(s.days30, overview.last_30_days)}
      </div>
      <section class="card">
        <h2>${s.daily}</h2>
        <p class="legend"><span class="wechat">${s.wechat}</span> <span class="alipay">${s.alipay}</span></p>
        ${dailyChart(overview.daily, s)}
      </section>
      <section class="card" aria-label=${s.attention}>
        <h2>${s.attention}</h2>
        ${
          waiting.length === 0
            ? html`<p class="paid">${s.allClear}</p>`
            : html`<ul>
              ${waiting.map(
                ([count, label, href]) =>
                  html`<li class="warn">${href ? html`<a href=${href}>${label}</a>` : label}: <strong>${count}</strong>${
                    label === s.undelivered && a.oldest_undelivered_at
                      ? html` <span class="muted">(${s.since}${timeText(a.oldest_undelivered_at, this.language)})</span>`
                      : nothing
                  }</li>`,
              )}
            </ul>`
        }
      </section>`;
  }
}

customElements.define('igepay-overview', IgepayOverview);
