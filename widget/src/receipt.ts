import type { OrderView } from '@igepay/shared';
import { groupedPrice } from '@igepay/shared/browser';
import { html, nothing } from 'lit-html';
import type { Strings } from './i18n.js';

/**
 * A paid order's facts, as the server verified them, shown in place of the inputs: item,
 * amount, method, order number and time; then "pay again", which calls `again`.
 */
export function receipt(text: Strings, view: OrderView, again: () => void) {
  const rows = [
    [text.item, view.order_name],
    [text.amount, `¥${groupedPrice(view.price)}`],
    [text.channelGroup, text.channels[view.channel]],
    [text.order, view.order_id],
    [
      text.time,
      new Date(view.paid_at ?? Date.now()).toLocaleString(text.lang, {
        dateStyle: 'medium',
        timeStyle: 'short',
      }),
    ],
  ];
  return html`<dl part="receipt" class="receipt">
      ${rows.map(([label, value]) => (value ? html`<dt>${label}</dt><dd>${value}</dd>` : nothing))}
    </dl>
    <button part="again" class="secondary" @click=${again}>${text.again}</button>`;
}
