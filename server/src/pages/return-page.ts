import { formatPrice, OrderStatus, yuan } from '@igepay/shared';
import type { OrderRecord } from '../store/order-store.js';
import { escapeHtml, htmlPage, type PageLang } from './html.js';

const TEXT = {
  'zh-CN': {
    title: '支付结果',
    pending: ['正在确认支付…', '我们正在等待支付平台的确认，本页面会自动刷新。请勿重复付款。'],
    paid: ['支付成功', '我们已收到支付平台的确认。'],
    failed: ['支付未成功', '支付平台报告这笔支付没有成功。您可以回到商店重新下单。'],
    expired: ['订单已过期', '这笔订单在有效期内没有完成支付。如您已付款，请联系商家。'],
    missing: ['找不到订单', '这个链接没有对应的订单。'],
    amount: '金额',
    item: '商品',
    order: '订单号',
    sandbox: '沙盒模式 · 不会产生真实扣款',
    back: '返回商店',
  },
  en: {
    title: 'Payment result',
    pending: [
      'Confirming your payment…',
      'We are waiting for the payment provider to confirm. This page refreshes by itself. Please do not pay again.',
    ],
    paid: ['Payment received', 'The payment provider has confirmed your payment.'],
    failed: [
      'Payment not completed',
      'The payment provider reports that this payment did not succeed. You can go back to the shop and try again.',
    ],
    expired: [
      'Order expired',
      'This order was not paid in time. If you did pay, please contact the merchant.',
    ],
    missing: ['Order not found', 'There is no order for this link.'],
    amount: 'Amount',
    item: 'Item',
    order: 'Order',
    sandbox: 'Sandbox mode · no real money moves',
    back: 'Back to the shop',
  },
} as const;

const ACCENT: Record<OrderStatus | 'missing', string> = {
  pending: '#8a6d00',
  paid: '#1a7f37',
  failed: '#b42318',
  expired: '#6b7280',
  missing: '#6b7280',
};

// In the widget's payment window (named igepay-...), a final status closes the window: the
// page that opened it shows the result. A pending page refreshes itself until then.
const CLOSE_WIDGET_POPUP = `if (window.name.startsWith('igepay-') && document.querySelector('main').dataset.status !== 'pending') setTimeout(() => window.close(), 1500);`;

/**
 * The page the buyer's browser lands on after paying (docs/protocol.md §1.4). It shows the status
 * we have verified and never changes it: the redirect itself proves nothing. While the order
 * is pending it refreshes itself until igepay's notification arrives.
 */
export function renderReturnPage(
  order: OrderRecord | undefined,
  status: OrderStatus | 'missing',
  lang: PageLang,
  options: { readonly sandbox?: boolean; readonly shopUrl?: string; readonly nonce?: string } = {},
): string {
  const text = TEXT[lang];
  const [heading, detail] = text[status];
  const rows = order
    ? `<dl>
        <dt>${text.amount}</dt><dd class="amount">${yuan(formatPrice(order.priceCents))}</dd>
        ${order.orderName ? `<dt>${text.item}</dt><dd>${escapeHtml(order.orderName)}</dd>` : ''}
        <dt>${text.order}</dt><dd><code>${escapeHtml(order.orderId)}</code></dd>
      </dl>`
    : '';
  return htmlPage({
    lang,
    title: text.title,
    refresh: status === OrderStatus.Pending ? { seconds: 2 } : undefined,
    styles: `
  :root { color-scheme: light dark; font-family: system-ui, -apple-system, "PingFang SC", "Microsoft YaHei", sans-serif; }
  body { margin: 0; min-height: 100vh; display: grid; place-items: center; background: Canvas; color: CanvasText; }
  .banner { position: fixed; inset: 0 0 auto; background: #fff4d6; color: #6b4e00; font-size: .85rem; padding: .4rem; text-align: center; }
  main { max-width: 28rem; padding: 2rem; text-align: center; }
  h1 { color: ${ACCENT[status]}; font-size: 1.5rem; margin: 0 0 .5rem; }
  p { line-height: 1.5; opacity: .85; }
  dl { display: grid; grid-template-columns: auto 1fr; gap: .25rem 1rem; text-align: left; margin: 1.5rem auto 0; width: fit-content; }
  dt { opacity: .7; }
  dd { margin: 0; }
  .amount { font-weight: 600; }
  code { font-size: .8rem; word-break: break-all; }
`,
    body: `${options.sandbox ? `<div class="banner" role="note">${text.sandbox}</div>` : ''}
<main data-status="${status}">
  <h1 role="status">${heading}</h1>
  <p>${detail}</p>
  ${rows}
  ${options.shopUrl ? `<p><a href="${escapeHtml(options.shopUrl)}">${text.back}</a></p>` : ''}
</main>`,
    script: options.nonce ? { nonce: options.nonce, code: CLOSE_WIDGET_POPUP } : undefined,
  });
}
