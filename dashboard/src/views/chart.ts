import { svg } from 'lit';
import type { Overview } from '../api.js';
import type { Strings } from '../i18n.js';
import { yuan } from './format.js';

/** Cents from an exact 2-decimal string (the chart's heights; never added as floats). */
const cents = (price: string) => {
  const [whole = '0', part = '00'] = price.split('.');
  return Number(whole) * 100 + Number(part.padEnd(2, '0'));
};

const W = 600;
const H = 180;
const PAD = 22;

/**
 * Daily takings as stacked bars, WeChat Pay under Alipay, in SVG drawn from attributes only
 * (the page's CSP allows no inline styles). Each bar has a title, the day's exact amounts,
 * and the figures are also in the table beside it for screen readers.
 */
export function dailyChart(daily: Overview['daily'], s: Strings) {
  const most = Math.max(1, ...daily.map((day) => cents(day.total)));
  const step = (W - PAD) / daily.length;
  const bar = Math.max(2, step - 3);
  const y = (value: number) => ((H - PAD) * value) / most;
  return svg`<svg viewBox="0 0 ${W} ${H}" role="img" aria-label=${s.daily} class="chart">
    <line x1=${PAD} y1=${H - PAD} x2=${W} y2=${H - PAD} class="axis"></line>
    <text x="0" y="2" dominant-baseline="hanging" class="label">¥${(most / 100).toFixed(0)}</text>
    ${daily.map((day, i) => {
      const wechat = y(cents(day.by_channel.wechat));
      const alipay = y(cents(day.by_channel.alipay));
      const x = PAD + i * step;
      return svg`<g>
        <title>${day.day}: ${yuan(day.total)} (${s.wechat} ${yuan(day.by_channel.wechat)}, ${s.alipay} ${yuan(day.by_channel.alipay)})</title>
        <rect x=${x} y=${H - PAD - wechat} width=${bar} height=${wechat} class="wechat-bar"></rect>
        <rect x=${x} y=${H - PAD - wechat - alipay} width=${bar} height=${alipay} class="alipay-bar"></rect>
        ${
          i === daily.length - 1
            ? // The last date ends at its bar's right edge: started there, it would run out of the chart.
              svg`<text x=${x + bar} y=${H - 6} text-anchor="end" class="label">${day.day.slice(5)}</text>`
            : i % 7 === daily.length % 7
              ? svg`<text x=${x} y=${H - 6} class="label">${day.day.slice(5)}</text>`
              : ''
        }
      </g>`;
    })}
  </svg>`;
}
