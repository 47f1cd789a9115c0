import type { Channel } from '@igepay/shared';

/** The element's languages. */
export type Lang = 'zh-CN' | 'en';

/** Every text the element shows, in one language. */
export interface Strings {
  /** The language these texts are in (the simulated cashier is asked for it too). */
  readonly lang: Lang;
  readonly channels: Record<Channel, string>;
  readonly channelGroup: string;
  readonly amount: string;
  /** The pay button (the amount follows). */
  readonly pay: string;
  /** The pay button while an order is pending: post its form again. */
  readonly resume: string;
  /** Give up the pending order, so that a new one can be made. */
  readonly startOver: string;
  readonly creating: string;
  /** The payment window is open. */
  readonly waiting: string;
  /** An order is pending but no payment window is known to be open (back, reloaded); {@link ifPaid} follows. */
  readonly unfinished: (price: string, channel: string) => string;
  /** The pay button while a payment igepay sent the buyer back from is confirmed: the return page's words. */
  readonly confirming: string;
  /** The status meanwhile; {@link ifPaid} follows. */
  readonly noRepeat: string;
  /** After a status that a payment may still follow. */
  readonly ifPaid: string;
  /** The buyer closed the payment window unpaid. */
  readonly cancelled: string;
  readonly paid: string;
  /** Under a receipt: ready for another purchase. */
  readonly again: string;
  readonly failed: string;
  readonly expired: string;
  readonly network: string;
  readonly amountRange: (min: string, max: string) => string;
  /** Too many checkouts (429), or the server is down or busy (5xxx). */
  readonly busy: string;
  /** Any other refusal: the shop's set-up, not the buyer, has to change. */
  readonly refused: string;
  readonly inApp: string;
  readonly sandbox: string;
  /** The receipt's labels (with `amount` and `channelGroup`). */
  readonly item: string;
  readonly order: string;
  readonly time: string;
}

const ZH: Strings = {
  lang: 'zh-CN',
  channels: { wechat: '微信支付', alipay: '支付宝' },
  channelGroup: '支付方式',
  amount: '金额',
  pay: '支付',
  resume: '继续支付',
  startOver: '重新开始',
  creating: '正在创建订单…',
  waiting: '请在新窗口中完成支付，此处会自动更新。',
  unfinished: (price, channel) => `¥${price}（${channel}）待支付。`,
  confirming: '正在确认支付…',
  noRepeat: '请勿重复付款。',
  ifPaid: '如已付款，结果会显示在这里。',
  cancelled: '支付窗口已关闭，未付款。',
  paid: '支付成功',
  again: '再次支付',
  failed: '支付未成功，请重试或换一种支付方式。',
  expired: '订单已过期，未支付。',
  network: '无法连接支付服务，请检查网络。',
  amountRange: (min, max) => `请输入 ${min}–${max} 元的金额（最多两位小数）。`,
  busy: '支付服务繁忙，请稍后再试。',
  refused: '暂时无法购买，请稍后再试或联系商家。',
  inApp: '微信内无法使用支付宝，请点右上角“…”在浏览器打开。',
  sandbox: '沙盒',
  item: '商品',
  order: '订单号',
  time: '支付时间',
};

const EN: Strings = {
  lang: 'en',
  channels: { wechat: 'WeChat Pay', alipay: 'Alipay' },
  channelGroup: 'Payment method',
  amount: 'Amount',
  pay: 'Pay',
  resume: 'Continue paying',
  startOver: 'Start over',
  creating: 'Creating your order…',
  waiting: 'Finish paying in the new window; this updates by itself.',
  unfinished: (price, channel) => `¥${price} by ${channel} is not paid yet.`,
  confirming: 'Confirming your payment…',
  noRepeat: 'Please do not pay again.',
  ifPaid: ' If you paid, it will show here.',
  cancelled: 'The payment window was closed unpaid.',
  paid: 'Paid',
  again: 'Pay again',
  failed: 'Payment failed. Try again or use another method.',
  expired: 'The order expired unpaid.',
  network: 'Cannot reach the payment service; check your connection.',
  amountRange: (min, max) => `Enter ${min} to ${max} yuan, at most 2 decimals.`,
  busy: 'Payments are busy right now; try again shortly.',
  refused: 'This purchase cannot be made now; try later or contact the shop.',
  inApp: 'Alipay does not work in WeChat: tap "…" at the top right, then open in browser.',
  sandbox: 'Sandbox',
  item: 'Item',
  order: 'Order number',
  time: 'Paid at',
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
