import type { Channel } from '@igepay/shared';
import { html } from 'lit';
import type { Order } from '../api.js';
import type { Strings } from '../i18n.js';

/** An amount as the merchant reads it (`¥1,288.00`), as the element and the igepay command show it. */
export { yuan } from '@igepay/shared/browser';

/** An order's status as a coloured tag, with "late" when it was paid after expiry. */
export function statusTag(order: Pick<Order, 'status' | 'late'>, s: Strings) {
  return html`<span class="tag ${order.status}">${s[order.status]}</span>${
    order.late ? html` <span class="tag warn">${s.lateTag}</span>` : ''
  }`;
}

export const channelText = (channel: Channel, s: Strings) =>
  html`<span class=${channel}>${s[channel]}</span>`;
