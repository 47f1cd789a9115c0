import { formatPrice } from '@igepay/shared';
import { renderSVG } from 'uqr';
import { escapeHtml, type PageLang } from '../../pages/html.js';
import { type Payment, type PaymentState, paymentState } from '../payments.js';
import { type Fault, PAY_FAULTS, type PayFault } from '../settings.js';
import { renderPage, withLang } from './layout.js';

const TEXT = {
  'zh-CN': {
    wechat: ['微信支付', '请使用微信扫一扫，扫描二维码支付'],
    alipay: ['支付宝', '请打开支付宝，扫一扫付款'],
    merchant: '商户',
    item: '商品',
    order: '订单号',
    payNum: '支付单号',
    remaining: '剩余支付时间',
    faults: '模拟异常（测试用）',
    pay: '模拟支付成功',
    cancel: '取消支付',
    paid: '支付成功',
    failed: '支付失败',
    failedHint: '模拟：通知的 code 不是 0000，商户会把订单记为支付失败。',
    forgedHint: '模拟：通知的 sign 是伪造的，商户不会确认这笔支付，订单保持待支付。',
    notifying: '正在通知商户…',
    returning: (s: number) => `${s} 秒后返回商户`,
    returnNow: '返回商户',
    cancelled: '已取消支付',
    cancelledHint: '您可以关闭此窗口，回到商户重新下单。',
    expired: '支付已超时',
    expiredHint: '此支付单已过期，请回到商户重新下单。',
    inspect: '查看通知记录',
    phone: '二维码打开的是本页面：手机与本机在同一网络时可扫码打开。',
  },
  en: {
    wechat: ['WeChat Pay', 'Scan the QR code with WeChat to pay'],
    alipay: ['Alipay', 'Open Alipay and scan the QR code to pay'],
    merchant: 'Merchant',
    item: 'Item',
    order: 'Order',
    payNum: 'Payment',
    remaining: 'Time left to pay',
    faults: 'Simulate a problem (for testing)',
    pay: 'Simulate a successful payment',
    cancel: 'Cancel payment',
    paid: 'Payment successful',
    failed: 'Payment failed',
    failedHint:
      'Simulated: the notification’s code is not 0000, so the merchant records the order as failed.',
    forgedHint:
      'Simulated: the notification’s sign is forged, so the merchant will not confirm this payment; the order stays pending.',
    notifying: 'Notifying the merchant…',
    returning: (s: number) => `Returning to the merchant in ${s} s`,
    returnNow: 'Return to the merchant',
    cancelled: 'Payment cancelled',
    cancelledHint: 'You can close this window and order again at the merchant.',
    expired: 'Payment timed out',
    expiredHint: 'This payment has expired; please order again at the merchant.',
    inspect: 'Notification log',
    phone: 'The QR code opens this page: a phone on the same network can scan it.',
  },
} as const;

/** What each fault does, as the pay page describes it. */
export const FAULT_TEXT: Record<PageLang, Record<PayFault, string>> = {
  'zh-CN': {
    duplicate: '重复通知（同一通知发送 3 次）',
    delay: '延迟通知',
    'redirect-first': '先跳转、后通知',
    'short-price': '通知中的金额省略末尾的 0（12.30 → 12.3）',
    'respelled-sign': '按 12.30 签名、却发送 12.3',
    'other-key': '通知中的 key 不是下单时的 key',
    'fail-code': '通知的 code 不是 0000（支付失败）',
    'bad-sign': '伪造通知（sign 错误）',
  },
  en: {
    duplicate: 'Duplicate notifications (the same one sent 3 times)',
    delay: 'Delayed notification',
    'redirect-first': 'Redirect before the notification',
    'short-price': 'Price without trailing zeros in the notification (12.30 → 12.3)',
    'respelled-sign': 'Signed over 12.30 but sent as 12.3',
    'other-key': "A key in the notification other than the order's",
    'fail-code': 'Notification code other than 0000 (payment failed)',
    'bad-sign': 'Forged notification (bad sign)',
  },
};

/** Everything the cashier page shows. */
export interface CashierView {
  readonly payment: Payment;
  readonly now: number;
  readonly lang: PageLang;
  /** This page's absolute URL (the QR code opens it). */
  readonly pageUrl: string;
  /** This page's path under the simulator's prefix. */
  readonly pagePath: string;
  readonly inspectPath: string;
  readonly merchantUid: string;
  /** Faults preselected by configuration. */
  readonly defaultFaults: ReadonlySet<Fault>;
  /** The CSP nonce of the countdown script (the same one goes in the page's headers). */
  readonly nonce: string;
}

/** Seconds until `at`, never negative. */
function secondsUntil(at: number, now: number): number {
  return Math.max(0, Math.ceil((at - now) / 1000));
}

function details(view: CashierView): string {
  const { payment, lang } = view;
  const text = TEXT[lang];
  const { request } = payment;
  return `<dl>
    <dt>${text.merchant}</dt><dd>${escapeHtml(view.merchantUid)}</dd>
    ${request.order_name ? `<dt>${text.item}</dt><dd class="item">${escapeHtml(request.order_name)}</dd>` : ''}
    <dt>${text.order}</dt><dd><code>${escapeHtml(request.order_id)}</code></dd>
    <dt>${text.payNum}</dt><dd><code>${payment.payNum}</code></dd>
  </dl>`;
}

function awaitingBody(view: CashierView): string {
  const { payment, lang } = view;
  const text = TEXT[lang];
  const faults = PAY_FAULTS.map(
    (fault) =>
      `<label><input type="checkbox" name="fault" value="${fault}"${view.defaultFaults.has(fault) ? ' checked' : ''}> ${FAULT_TEXT[lang][fault]}</label>`,
  ).join('');
  return `<div class="qr" aria-hidden="true">${renderSVG(view.pageUrl, { border: 2 })}</div>
    <p class="muted">${text[payment.channel][1]}</p>
    <p>${text.remaining} <span class="countdown" data-expires="${payment.expiresAt}">${clock(payment.expiresAt - view.now)}</span></p>
    ${details(view)}
    <form method="post" action="${escapeHtml(withLang(`${view.pagePath}/pay`, lang))}">
      <details${view.defaultFaults.size > 0 ? ' open' : ''}><summary>${text.faults}</summary>${faults}</details>
      <div class="actions">
        <button class="pay ${payment.channel}" type="submit">${text.pay}</button>
        <button class="cancel" type="submit" formaction="${escapeHtml(withLang(`${view.pagePath}/cancel`, lang))}">${text.cancel}</button>
      </div>
    </form>
    <p class="muted">${text.phone}</p>`;
}

function clock(ms: number): string {
  const total = Math.max(0, Math.ceil(ms / 1000));
  return `${String(Math.floor(total / 60)).padStart(2, '0')}:${String(total % 60).padStart(2, '0')}`;
}

// Counts down in the page; when time is up, reloading shows the expired state.
const COUNTDOWN = `
const el = document.querySelector('.countdown');
const expires = Number(el.dataset.expires);
const tick = () => {
  const total = Math.max(0, Math.ceil((expires - Date.now()) / 1000));
  el.textContent = String(Math.floor(total / 60)).padStart(2, '0') + ':' + String(total % 60).padStart(2, '0');
  if (total === 0) location.reload(); else setTimeout(tick, 1000);
};
tick();`;

function resultBody(view: CashierView, state: Exclude<PaymentState, 'awaiting'>): string {
  const { payment, lang } = view;
  const text = TEXT[lang];
  if (state === 'paid') {
    const returning =
      payment.redirectAt === undefined
        ? `<p class="muted">${text.notifying}</p>`
        : `<p class="muted">${text.returning(secondsUntil(payment.redirectAt, view.now))}</p>
           <a class="button pay ${payment.channel}" href="${escapeHtml(payment.request.return_url)}">${text.returnNow}</a>`;
    // What the buyer would see matches what the merchant will make of the notification.
    if (payment.faults.has('fail-code')) {
      return `<p class="result bad" role="status">${text.failed}</p><p class="muted">${text.failedHint}</p>${details(view)}${returning}`;
    }
    const forged = payment.faults.has('bad-sign') ? `<p class="muted">${text.forgedHint}</p>` : '';
    return `<p class="result ok" role="status">✓ ${text.paid}</p>${forged}${details(view)}${returning}`;
  }
  const [heading, hint] =
    state === 'cancelled' ? [text.cancelled, text.cancelledHint] : [text.expired, text.expiredHint];
  return `<p class="result bad" role="status">${heading}</p><p class="muted">${hint}</p>${details(view)}`;
}

/**
 * The cashier page of a payment (docs/protocol.md §1.1): amount, item, channel colours, a QR code,
 * a countdown and the buttons that simulate the buyer. Once paid, it sends the browser to
 * `return_url` when the simulator says so (docs/protocol.md §1.4).
 */
export function renderCashier(view: CashierView): string {
  const { payment, lang } = view;
  const text = TEXT[lang];
  const state = paymentState(payment, view.now);
  const [brand] = text[payment.channel];
  let refresh: { seconds: number; url?: string } | undefined;
  if (state === 'paid') {
    refresh =
      payment.redirectAt === undefined
        ? { seconds: 1 }
        : { seconds: secondsUntil(payment.redirectAt, view.now), url: payment.request.return_url };
  }
  return renderPage({
    lang,
    title: `${brand} · ¥${formatPrice(payment.priceCents)}`,
    nonce: view.nonce,
    script: state === 'awaiting' ? COUNTDOWN : undefined,
    refresh,
    otherLang: withLang(view.pagePath, lang === 'en' ? 'zh-CN' : 'en'),
    body: `<main>
  <div class="card" data-state="${state}" data-channel="${payment.channel}">
    <div class="brand ${payment.channel}"><span class="mark" aria-hidden="true">${payment.channel === 'wechat' ? '微' : '支'}</span>${brand}</div>
    <div class="content">
      <div class="amount">¥${formatPrice(payment.priceCents)}</div>
      ${state === 'awaiting' ? awaitingBody(view) : resultBody(view, state)}
    </div>
  </div>
  <p class="muted"><a href="${escapeHtml(view.inspectPath)}">${text.inspect}</a></p>
</main>`,
  });
}
