import { formatPrice } from '@igepay/shared';
import type { Catalog } from '../catalog.js';
import { escapeHtml, type PageLang } from '../pages/html.js';

const TEXT = {
  'zh-CN': {
    title: 'igepay 演示商店',
    intro: '这是沙盒模式：支付在模拟的 igepay 收银台完成，不会产生真实扣款。',
    donate: '随意赞助',
    amount: '金额（元）',
    pay: '去支付',
    wechat: '微信支付',
    alipay: '支付宝',
    inspect: '沙盒通知记录',
    other: 'English',
  },
  en: {
    title: 'igepay demo shop',
    intro: 'This is sandbox mode: you pay on a simulated igepay cashier and no real money moves.',
    donate: 'Donate any amount',
    amount: 'Amount (yuan)',
    pay: 'Pay',
    wechat: 'WeChat Pay',
    alipay: 'Alipay',
    inspect: 'Sandbox log',
    other: '中文',
  },
} as const;

// A stand-in for <igepay-button> until the widget lands: create the order, then post the
// returned form to the gateway, as the widget's redirect mode does.
const SCRIPT = `
for (const form of document.querySelectorAll('form.buy')) {
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const status = form.querySelector('.status');
    const data = new FormData(form);
    const body = { channel: data.get('channel') };
    for (const name of ['product', 'price']) if (data.get(name)) body[name] = String(data.get(name));
    status.textContent = '…';
    try {
      const response = await fetch('/api/checkout', {
        method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body),
      });
      const reply = await response.json();
      if (!response.ok) { status.textContent = reply.msg; return; }
      const post = document.createElement('form');
      post.method = 'POST';
      post.action = reply.gateway.action;
      post.acceptCharset = 'utf-8';
      for (const [name, value] of Object.entries(reply.gateway.fields)) {
        const input = document.createElement('input');
        input.type = 'hidden'; input.name = name; input.value = value;
        post.append(input);
      }
      document.body.append(post);
      post.submit();
    } catch (error) {
      status.textContent = String(error);
    }
  });
}`;

function channels(lang: PageLang): string {
  const text = TEXT[lang];
  return `<fieldset class="channels"><legend class="sr">channel</legend>
    <label><input type="radio" name="channel" value="wechat" checked> ${text.wechat}</label>
    <label><input type="radio" name="channel" value="alipay"> ${text.alipay}</label>
  </fieldset>`;
}

/** The demo shop at `/` in sandbox mode: the catalog and a donation box, each with a pay form. */
export function renderShopPage(view: {
  lang: PageLang;
  catalog: Catalog;
  minPriceCents: number;
  maxPriceCents: number;
  nonce: string;
  inspectPath: string;
}): string {
  const { lang } = view;
  const text = TEXT[lang];
  const products = [...view.catalog]
    .map(
      ([sku, product]) => `<form class="buy card" data-product="${escapeHtml(sku)}">
      <h2>${escapeHtml(product.name)}</h2>
      <p class="price">¥${formatPrice(product.priceCents)}</p>
      <input type="hidden" name="product" value="${escapeHtml(sku)}">
      ${channels(lang)}
      <button type="submit">${text.pay}</button>
      <p class="status" role="status"></p>
    </form>`,
    )
    .join('');
  return `<!doctype html>
<html lang="${lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${text.title}</title>
<style>
  :root { color-scheme: light dark; font-family: system-ui, -apple-system, "PingFang SC", "Microsoft YaHei", sans-serif; }
  body { margin: 0; background: light-dark(#f6f7f9, #15171a); color: light-dark(#1f2329, #e8eaed); }
  .banner { background: #fff4d6; color: #6b4e00; font-size: .85rem; padding: .5rem 1rem; text-align: center; }
  .banner a { color: inherit; margin-left: 1rem; }
  main { max-width: 60rem; margin: 0 auto; padding: 1.5rem 1rem; }
  .grid { display: grid; grid-template-columns: repeat(auto-fill, minmax(15rem, 1fr)); gap: 1rem; }
  .card { background: light-dark(#fff, #22252a); border-radius: 12px; padding: 1rem 1.25rem; box-shadow: 0 1px 3px #0002; }
  h2 { font-size: 1.05rem; margin: 0 0 .25rem; }
  .price { font-size: 1.5rem; font-weight: 700; margin: .25rem 0 .75rem; }
  .channels { border: 0; padding: 0; margin: 0 0 .75rem; display: flex; gap: 1rem; }
  .sr { position: absolute; width: 1px; height: 1px; overflow: hidden; clip-path: inset(50%); }
  input[type=text] { font: inherit; padding: .5rem; border-radius: 6px; border: 1px solid #c9cdd4; width: 100%; margin-bottom: .75rem; box-sizing: border-box; }
  button { font: inherit; width: 100%; padding: .65rem; border: 0; border-radius: 8px; background: #1677ff; color: #fff; cursor: pointer; }
  button:focus-visible { outline: 3px solid #f5a623; outline-offset: 2px; }
  .status { min-height: 1.2em; font-size: .85rem; color: #d92d20; margin: .5rem 0 0; }
</style>
</head>
<body>
<div class="banner" role="note">${text.intro}<a href="${escapeHtml(view.inspectPath)}">${text.inspect}</a><a href="?lang=${lang === 'en' ? 'zh-CN' : 'en'}">${text.other}</a></div>
<main>
  <h1>${text.title}</h1>
  <div class="grid">
    ${products}
    <form class="buy card" data-product="">
      <h2>${text.donate}</h2>
      <label>${text.amount}<input type="text" name="price" inputmode="decimal" value="6.66" required
        pattern="\\d+(\\.\\d{1,2})?" title="${formatPrice(view.minPriceCents)} – ${formatPrice(view.maxPriceCents)}"></label>
      ${channels(lang)}
      <button type="submit">${text.pay}</button>
      <p class="status" role="status"></p>
    </form>
  </div>
</main>
<script nonce="${view.nonce}">${SCRIPT}</script>
</body>
</html>`;
}
