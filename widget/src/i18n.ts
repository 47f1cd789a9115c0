import type { Channel } from '@igepay/shared';

/** The element's languages. */
export type Lang = 'zh-CN' | 'en';

/** Every text the element shows, in one language. */
export interface Strings {
  readonly channels: Record<Channel, string>;
  readonly channelGroup: string;
  readonly amount: string;
  readonly pay: (price: string | undefined) => string;
  readonly creating: string;
  readonly waiting: string;
  readonly waitingRedirect: string;
  readonly popupClosed: string;
  readonly reopen: string;
  readonly cancel: string;
  readonly retry: string;
  readonly paid: (price: string) => string;
  readonly failed: string;
  readonly expired: string;
  readonly network: string;
  readonly amountRange: (min: string, max: string) => string;
  readonly rateLimited: string;
  /** The server is down or busy (5xxx). */
  readonly unavailable: string;
  /** The server refused the amount (4006). */
  readonly badAmount: string;
  /** Any other refusal: the shop's set-up, not the buyer, has to change. */
  readonly refused: string;
  readonly inApp: string;
  readonly sandbox: string;
}

const ZH: Strings = {
  channels: { wechat: '微信支付', alipay: '支付宝' },
  channelGroup: '支付方式',
  amount: '金额',
  pay: (price) => (price ? `支付 ¥${grouped(price)}` : '支付'),
  creating: '正在创建订单…',
  waiting: '请在新打开的窗口中完成支付，完成后此处会自动更新。',
  waitingRedirect: '正在确认支付结果…',
  popupClosed: '支付窗口已关闭。如已付款，请稍候，我们正在确认。',
  reopen: '重新打开支付窗口',
  cancel: '取消',
  retry: '重新支付',
  paid: (price) => `支付成功 ¥${grouped(price)}`,
  failed: '支付未成功，请重试或换一种支付方式。',
  expired: '订单已过期，未完成支付。',
  network: '无法连接支付服务，请检查网络后重试。',
  amountRange: (min, max) => `请输入 ${min} 到 ${max} 元之间的金额（最多两位小数）。`,
  rateLimited: '操作太频繁，请稍后再试。',
  unavailable: '支付服务暂时不可用，请稍后再试。',
  badAmount: '此金额无法支付，请换一个金额。',
  refused: '暂时无法完成此购买，请稍后再试或联系商家。',
  inApp: '微信内无法使用支付宝：请点右上角“…”，选择“在浏览器打开”。',
  sandbox: '沙盒',
};

const EN: Strings = {
  channels: { wechat: 'WeChat Pay', alipay: 'Alipay' },
  channelGroup: 'Payment method',
  amount: 'Amount',
  pay: (price) => (price ? `Pay ¥${grouped(price)}` : 'Pay'),
  creating: 'Creating your order…',
  waiting: 'Finish paying in the window that opened; this updates by itself.',
  waitingRedirect: 'Confirming your payment…',
  popupClosed: 'The payment window was closed. If you paid, hold on: we are confirming it.',
  reopen: 'Reopen the payment window',
  cancel: 'Cancel',
  retry: 'Pay again',
  paid: (price) => `Paid ¥${grouped(price)}`,
  failed: 'The payment did not go through. Try again or use another method.',
  expired: 'The order expired before it was paid.',
  network: 'Cannot reach the payment service. Check your connection and try again.',
  amountRange: (min, max) => `Enter an amount from ${min} to ${max} yuan (at most 2 decimals).`,
  rateLimited: 'Too many attempts; please wait a moment.',
  unavailable: 'The payment service is unavailable; please try again shortly.',
  badAmount: 'This amount cannot be paid; please choose another.',
  refused: 'This purchase cannot be made right now. Try again later or contact the shop.',
  inApp: 'Alipay does not work inside WeChat: tap "…" at the top right and open this page in your browser.',
  sandbox: 'Sandbox',
};

/** The texts of `lang`; Chinese unless English (`en`, `en-GB`, …) is asked for. */
export function strings(lang: string | undefined): Strings {
  return /^en\b/i.test(lang ?? '') ? EN : ZH;
}

/**
 * The language `element` speaks: its own `lang`, else the nearest ancestor's (out of shadow
 * roots too), else the first of the browser's languages that is Chinese or English.
 */
export function langOf(element: Element): string {
  for (let node: Element | null = element; node; ) {
    const lang = node.getAttribute('lang');
    if (lang) return lang;
    node = node.parentElement ?? ((node.getRootNode() as ShadowRoot).host || null);
  }
  return navigator.languages.find((lang) => /^(zh|en)\b/i.test(lang)) ?? '';
}

/** `1288.00` as `1,288.00`: thousands grouped, as both languages write amounts. */
export function grouped(price: string): string {
  return price.replace(/^\d+/, (whole) => whole.replace(/\B(?=(\d{3})+$)/g, ','));
}
