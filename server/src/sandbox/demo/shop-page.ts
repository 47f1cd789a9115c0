import type { Catalog } from '../../config/catalog.js';
import { escapeHtml, htmlPage, type PageLang } from '../../pages/html.js';

const TEXT = {
  'zh-CN': {
    title: 'igepay 演示商店',
    intro: '沙盒模式：在模拟的 igepay 收银台付款，不会产生真实扣款。',
    donate: '随意赞助',
    donateName: '赞助 igepay 演示',
    inspect: '沙盒通知记录',
    other: 'English',
    events: '事件',
    popup: '弹窗支付',
    redirect: '跳转支付',
  },
  en: {
    title: 'igepay demo shop',
    intro: 'Sandbox mode: you pay on a simulated igepay cashier and no real money moves.',
    donate: 'Donate any amount',
    donateName: 'igepay demo donation',
    inspect: 'Sandbox log',
    other: '中文',
    events: 'Events',
    popup: 'Pay in a popup',
    redirect: 'Pay by redirect',
  },
} as const;

// Shows the element's events as they happen, as a merchant's page would react to them.
const EVENT_LOG = `
const log = document.querySelector('#events');
for (const type of ['igepay-order', 'igepay-paid', 'igepay-error', 'igepay-cancel']) {
  document.addEventListener(type, (event) => {
    const item = document.createElement('li');
    item.textContent = type + ' ' + JSON.stringify(event.detail);
    log.prepend(item);
  });
}`;

/** What the demo shop shows. */
export interface ShopView {
  readonly lang: PageLang;
  readonly mode: 'popup' | 'redirect';
  readonly catalog: Catalog;
  readonly nonce: string;
  readonly inspectPath: string;
}

/**
 * The demo shop at `/` in sandbox mode: every catalog product and a donation box, each an
 * `<igepay-button>` loaded from `/widget.js`, as a merchant's page would embed it.
 */
export function renderShopPage(view: ShopView): string {
  const { lang, mode } = view;
  const text = TEXT[lang];
  const query = (next: { lang?: PageLang; mode?: string }) =>
    `?lang=${next.lang ?? lang}&amp;mode=${next.mode ?? mode}`;
  const products = [...view.catalog]
    .map(
      ([sku]) => `<section class="card">
      <igepay-button id="buy-${escapeHtml(sku)}" product="${escapeHtml(sku)}" lang="${lang}" mode="${mode}"></igepay-button>
    </section>`,
    )
    .join('');
  return htmlPage({
    lang,
    title: text.title,
    head: '<script type="module" src="/widget.js"></script>',
    styles: `
  /* The elements' room is kept until /widget.js has run, as docs/widget.md shows: nothing moves. */
  igepay-button:not(:defined) { display: block; min-height: 12.9em; }
  igepay-button[presets]:not(:defined) { min-height: 17em; }
  :root { color-scheme: light dark; font-family: system-ui, -apple-system, "PingFang SC", "Microsoft YaHei", sans-serif; }
  body { margin: 0; background: light-dark(#f6f7f9, #15171a); color: light-dark(#1f2329, #e8eaed); }
  .banner { background: #fff4d6; color: #6b5200; font-size: .85rem; padding: .5rem 1rem; text-align: center; }
  .banner a { color: inherit; margin-left: 1rem; }
  main { max-width: 62rem; margin: 0 auto; padding: 1.5rem 1rem; }
  .grid { display: grid; grid-template-columns: repeat(auto-fill, minmax(17rem, 1fr)); gap: 1rem; }
  .card { background: light-dark(#fff, #22252a); border-radius: 12px; padding: 1rem 1.25rem; box-shadow: 0 1px 3px #0002; }
  h2 { font-size: 1.05rem; margin: 0 0 .75rem; }
  #events { font: .8rem ui-monospace, monospace; padding-left: 1.2rem; word-break: break-all; }
`,
    body: `<div class="banner" role="note">${text.intro}
  <a href="${view.inspectPath}">${text.inspect}</a>
  <a href="${query({ mode: mode === 'popup' ? 'redirect' : 'popup' })}">${mode === 'popup' ? text.redirect : text.popup}</a>
  <a href="${query({ lang: lang === 'en' ? 'zh-CN' : 'en' })}">${text.other}</a>
</div>
<main>
  <h1>${text.title}</h1>
  <div class="grid">
    ${products}
    <section class="card">
      <h2>${text.donate}</h2>
      <igepay-button id="donate" presets="6.66 18.88 66.00" order-name="${text.donateName}" lang="${lang}" mode="${mode}"></igepay-button>
    </section>
  </div>
  <h2>${text.events}</h2>
  <ol id="events" aria-live="polite"></ol>
</main>`,
    script: { nonce: view.nonce, code: EVENT_LOG },
  });
}
