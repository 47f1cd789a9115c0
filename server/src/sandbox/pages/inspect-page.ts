import { formatPrice } from '@igepay/shared';
import { escapeHtml, type PageLang } from '../../pages/html.js';
import type { JournalEntry } from '../journal.js';
import { type Payment, paymentState } from '../payments.js';
import { renderPage, withLang } from './layout.js';

const TEXT = {
  'zh-CN': {
    title: '沙盒通知记录',
    payments: '支付单',
    log: '收发记录（最新在前）',
    none: '暂无记录',
    refresh: '刷新',
    all: '全部订单',
    heads: ['支付单号', '订单号', '金额', '渠道', '状态', '异常', '通知'],
    logHeads: ['时间', '事件', '订单号', '内容'],
  },
  en: {
    title: 'Sandbox log',
    payments: 'Payments',
    log: 'Received and sent (newest first)',
    none: 'Nothing yet',
    refresh: 'Refresh',
    all: 'All orders',
    heads: ['Payment', 'Order', 'Amount', 'Channel', 'State', 'Faults', 'Notifications'],
    logHeads: ['Time', 'Event', 'Order', 'Details'],
  },
} as const;

function time(at: number): string {
  return new Date(at).toISOString().slice(11, 23);
}

function fields(record: Readonly<Record<string, unknown>>): string {
  // Raw values, as signed: percent-encoding would hide the Chinese text a key is computed over.
  const rows = Object.entries(record).map(
    ([name, value]) => `<b>${escapeHtml(name)}</b>=${escapeHtml(String(value))}`,
  );
  return `<code class="fields">${rows.join(' ')}</code>`;
}

function deliveries(payment: Payment): string {
  return payment.deliveries
    .map(
      (d) =>
        `#${d.copy} ${d.state} ×${d.attempts}${d.lastReply === undefined ? '' : ` → <code>${escapeHtml(d.lastReply.slice(0, 60))}</code>`}`,
    )
    .join('<br>');
}

function entryRow(entry: JournalEntry): string {
  let event: string;
  let detail: string;
  let tone = '';
  switch (entry.kind) {
    case 'request':
      event = `pay request: ${entry.outcome}`;
      detail = `${fields(entry.fields)}${entry.msg ? `<br><span class="error">${entry.code} ${escapeHtml(entry.msg)}</span>` : ''}${entry.notes.map((note) => `<br><span class="note">⚠ ${escapeHtml(note)}</span>`).join('')}`;
      tone = entry.outcome === 'refused' ? 'bad' : 'ok';
      break;
    case 'paid':
    case 'cancelled':
      event = `buyer: ${entry.kind}`;
      detail = entry.faults.length > 0 ? `faults: ${entry.faults.join(', ')}` : '';
      break;
    case 'notify': {
      event = `notify #${entry.copy}, attempt ${entry.attempt}`;
      const answer =
        entry.error === undefined
          ? `HTTP ${entry.status} <code>${escapeHtml(JSON.stringify(entry.reply))}</code>`
          : `<span class="error">${escapeHtml(entry.error)}</span>`;
      const next = entry.acked
        ? 'acknowledged'
        : entry.retryInMs === undefined
          ? 'not resent'
          : `resend in ${entry.retryInMs / 1000} s`;
      detail = `POST ${escapeHtml(entry.url)}<br>${fields(entry.sent)}<br>→ ${answer} (${entry.durationMs} ms), ${next}`;
      tone = entry.acked ? 'ok' : 'bad';
      break;
    }
    case 'redirect':
      event = `buyer sent to return_url${entry.afterMs > 0 ? ` in ${entry.afterMs / 1000} s` : ''}`;
      detail = escapeHtml(entry.url);
      break;
  }
  return `<tr data-kind="${entry.kind}"><td>${time(entry.at)}</td><td class="${tone}">${escapeHtml(event)}</td><td><code>${escapeHtml(entry.orderId ?? '')}</code></td><td>${detail}</td></tr>`;
}

/** What the inspection page shows. */
export interface InspectView {
  readonly lang: PageLang;
  readonly now: number;
  readonly payments: readonly Payment[];
  readonly entries: readonly JournalEntry[];
  readonly orderId: string | undefined;
  /** The inspection page's path, and the path of a payment's pay page. */
  readonly path: string;
  readonly payPath: (payNum: string) => string;
}

/** The inspection page: every payment, and everything the simulator received and sent. */
export function renderInspectPage(view: InspectView): string {
  const text = TEXT[view.lang];
  const payments = view.payments
    .map(
      (
        p,
      ) => `<tr><td><a href="${escapeHtml(withLang(view.payPath(p.payNum), view.lang))}"><code>${p.payNum}</code></a></td>
        <td><a href="${escapeHtml(withLang(`${view.path}?order_id=${encodeURIComponent(p.request.order_id)}`, view.lang))}"><code>${escapeHtml(p.request.order_id)}</code></a></td>
        <td>¥${formatPrice(p.priceCents)}</td><td>${p.channel}</td><td>${paymentState(p, view.now)}</td>
        <td>${[...p.faults].join(', ')}</td><td>${deliveries(p)}</td></tr>`,
    )
    .join('');
  const table = (heads: readonly string[], rows: string) =>
    rows === ''
      ? `<p class="muted">${text.none}</p>`
      : `<table><thead><tr>${heads.map((h) => `<th>${h}</th>`).join('')}</tr></thead><tbody>${rows}</tbody></table>`;
  const self =
    view.orderId === undefined ? view.path : `${view.path}?order_id=${encodeURIComponent(view.orderId)}`;
  return renderPage({
    lang: view.lang,
    title: text.title,
    otherLang: withLang(self, view.lang === 'en' ? 'zh-CN' : 'en'),
    body: `<main class="wide">
  <h1>${text.title}${view.orderId === undefined ? '' : ` · <code>${escapeHtml(view.orderId)}</code>`}</h1>
  <p><a href="${escapeHtml(withLang(self, view.lang))}">${text.refresh}</a>${view.orderId === undefined ? '' : ` · <a href="${escapeHtml(withLang(view.path, view.lang))}">${text.all}</a>`}</p>
  <h2>${text.payments}</h2>
  ${table(text.heads, payments)}
  <h2>${text.log}</h2>
  ${table(text.logHeads, view.entries.map(entryRow).join(''))}
</main>`,
  });
}
