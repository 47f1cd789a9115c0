import type { Channel } from '@igepay/shared';
import { html } from 'lit';

/** Small channel marks drawn in each brand's colour (simplified, not the trademarked logos). */
export const MARKS: Record<Channel, ReturnType<typeof html>> = {
  wechat: html`<svg viewBox="0 0 24 24" width="20" height="20" aria-hidden="true"><rect width="24" height="24" rx="5" fill="#07c160"/><ellipse cx="10" cy="10.5" rx="6" ry="5" fill="#fff"/><ellipse cx="15" cy="14" rx="5" ry="4.2" fill="#fff" stroke="#07c160"/><circle cx="8" cy="9.5" r=".9" fill="#07c160"/><circle cx="12" cy="9.5" r=".9" fill="#07c160"/></svg>`,
  alipay: html`<svg viewBox="0 0 24 24" width="20" height="20" aria-hidden="true"><rect width="24" height="24" rx="5" fill="#1677ff"/><path d="M6 8h12M12 5.5v4.5M8 11.5h8c-1 4-4 6.5-8 7.5M10 13.5c2 2 5 4 8 4.5" stroke="#fff" stroke-width="1.8" fill="none" stroke-linecap="round"/></svg>`,
};
