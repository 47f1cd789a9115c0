import type { OrderStatus } from '@igepay/shared';
import { css, html, nothing, type PropertyDeclarations } from 'lit';
import { ApiError, get, type History, post } from '../api.js';
import { timeText } from '../i18n.js';
import { channelText, statusTag, yuan } from './format.js';
import { resolveForm } from './resolve-form.js';
import { View } from './view.js';

interface Step {
  readonly at: string;
  /** An order's status, or a warning. */
  readonly tone: OrderStatus | 'warn';
  readonly title: string;
  readonly detail?: unknown;
}

/**
 * One order: what it is, and its timeline (created; each notification received, its fields as
 * received without the sign; paid, failed or expired; each event and every delivery attempt with
 * the reply), with the actions: redeliver an event, resolve a notification kept unapplied.
 */
export class IgepayOrder extends View {
  static override styles = [
    ...View.styles,
    css`
      ol {
        list-style: none;
        margin: 0;
        padding: 0;
        border-left: 2px solid var(--line);
      }
      li {
        position: relative;
        padding: 0 0 1rem 1rem;
      }
      li::before {
        content: "";
        position: absolute;
        left: -7px;
        top: 0.4em;
        width: 12px;
        height: 12px;
        border-radius: 50%;
        background: currentColor;
      }
      li > * {
        color: var(--text);
      }
      dl {
        display: grid;
        grid-template-columns: max-content 1fr;
        gap: 0.2rem 1rem;
        margin: 0;
      }
      dt {
        color: var(--muted);
      }
      dd {
        margin: 0;
        word-break: break-all;
      }
    `,
  ];

  static override properties: PropertyDeclarations = {
    done: { state: true },
    notFound: { state: true },
    orderId: { attribute: false },
    history: { state: true },
  };

  declare orderId: string;
  declare private history: History | undefined;

  constructor() {
    super();
    this.done = '';
    this.notFound = false;
    this.orderId = '';
  }

  declare private notFound: boolean;
  declare private done: string;

  override willUpdate(changed: Map<string, unknown>): void {
    if (changed.has('orderId')) void this.#load();
  }

  async #load(): Promise<void> {
    await this.attempt(async () => {
      try {
        this.history = await get('order', { order_id: this.orderId });
      } catch (error) {
        if (error instanceof ApiError && error.status === 404) this.notFound = true;
        else throw error;
      }
    });
  }

  async #redeliver(eventId: string): Promise<void> {
    this.done = '';
    const ok = await this.attempt(() => post('redeliver', { event_id: eventId }));
    if (ok) this.done = this.s.redelivered;
    await this.#load();
  }

  async #resolve(id: number, note: string): Promise<void> {
    await this.attempt(() => post('resolve', { id }, { note }));
    await this.#load();
  }

  #steps(history: History): Step[] {
    const { s } = this;
    const { order } = history;
    const steps: Step[] = [{ at: order.created_at, tone: 'pending', title: s.createdEvent }];
    for (const n of history.notifications)
      steps.push({ at: n.received_at, tone: 'pending', title: s.notification, detail: n.fields });
    for (const u of history.unapplied)
      steps.push({ at: u.received_at, tone: 'warn', title: s.keptUnapplied(u.reason), detail: u });
    if (order.paid_at) steps.push({ at: order.paid_at, tone: 'paid', title: s.paidEvent });
    if (order.status === 'failed') {
      // When igepay said so: the notification that failed it, kept with the order.
      const failing = history.unapplied.find((u) => u.reason === 'code-not-success');
      const at = failing?.received_at ?? order.expires_at;
      steps.push({ at, tone: 'failed', title: s.failedEvent(order.failure_code ?? '') });
    }
    if (order.status === 'expired' || (order.late && !order.failure_code))
      steps.push({ at: order.expires_at, tone: 'expired', title: s.expiredEvent });
    for (const event of history.events) {
      steps.push({ at: event.created_at, tone: 'pending', title: s.eventMade(event.type), detail: event });
      for (const a of event.attempts)
        steps.push({
          at: a.at,
          tone: a.ok ? 'paid' : 'failed',
          title: a.ok ? s.attemptOk(a.sink) : s.attemptFailed(a.sink),
          detail: a.reply ?? '',
        });
    }
    // Stable: steps at the same millisecond keep the order above (the cause before its effect).
    return steps.sort((a, b) => Date.parse(a.at) - Date.parse(b.at));
  }

  #detail(step: Step) {
    const { detail } = step;
    if (detail === undefined) return nothing;
    if (typeof detail === 'string') return detail ? html`<pre>${detail}</pre>` : nothing;
    if (typeof detail === 'object' && detail !== null && 'deliveries' in detail) {
      const event = detail as History['events'][number];
      return html`<div class="row">
        <code>${event.id}</code>
        <button class="quiet" @click=${() => this.#redeliver(event.id)}>${this.s.redeliver}</button>
        ${event.deliveries.map(
          (
            d,
          ) => html`<span class="tag ${d.state === 'delivered' ? 'paid' : d.state === 'failed' ? 'failed' : 'pending'}"
              >${d.sink}: ${this.s.deliveryState(d.state, d.attempts)}</span
            >${d.next_attempt_at ? html` <span class="muted">${this.s.nextAttempt}${timeText(d.next_attempt_at, this.language)}</span>` : nothing}`,
        )}
      </div>`;
    }
    if (typeof detail === 'object' && detail !== null && 'reason' in detail) {
      const u = detail as History['unapplied'][number];
      return html`<pre>${JSON.stringify(u.fields, null, 2)}</pre>
        ${resolveForm(this.s, u, (note) => this.#resolve(u.id, note))}`;
    }
    return html`<pre>${JSON.stringify(detail, null, 2)}</pre>`;
  }

  override render() {
    const { s, history } = this;
    const back = html`<p><a href="#/orders">← ${s.back}</a></p>`;
    if (this.notFound) return html`${back}<p role="alert">${s.notFound}</p>`;
    if (!history) return html`${back}${this.failureLine()}`;
    const { order } = history;
    return html`${back}${this.failureLine()}
      ${this.done ? html`<p role="status">${this.done}</p>` : nothing}
      <section class="card">
        <h1>${order.order_name ?? order.product ?? order.order_id} <span class="big">${yuan(order.price)}</span></h1>
        <dl>
          <dt>${s.status}</dt><dd>${statusTag(order, s)}</dd>
          <dt>${s.orderId}</dt><dd><code>${order.order_id}</code></dd>
          <dt>${s.channel}</dt><dd>${channelText(order.channel, s)}</dd>
          ${order.product ? html`<dt>${s.product}</dt><dd>${order.product}</dd>` : nothing}
          ${order.order_uid ? html`<dt>order_uid</dt><dd>${order.order_uid}</dd>` : nothing}
          ${order.pay_num ? html`<dt>pay_num</dt><dd>${order.pay_num}</dd>` : nothing}
          ${order.transaction_id ? html`<dt>transaction_id</dt><dd>${order.transaction_id}</dd>` : nothing}
          ${order.echo_mismatch ? html`<dt class="warn">${s.echoDiffers}</dt><dd>${JSON.stringify(order.echo_mismatch)}</dd>` : nothing}
        </dl>
      </section>
      <section class="card">
        <h2>${s.timeline}</h2>
        <ol>
          ${this.#steps(history).map(
            (step) => html`<li class=${step.tone}>
              <strong>${step.title}</strong> <span class="muted">${timeText(step.at, this.language)}</span>
              ${this.#detail(step)}
            </li>`,
          )}
        </ol>
      </section>`;
  }
}

customElements.define('igepay-order', IgepayOrder);
