import { escapeHtml, type PageLang } from '../../pages/html.js';
import { renderPage, withLang } from './layout.js';

/** The simulator's front page: what it is and how to point an integration at it. */
export function renderHomePage(view: {
  lang: PageLang;
  path: string;
  payUrl: string;
  inspectPath: string;
  merchantUid: string;
}): string {
  const en = view.lang === 'en';
  const title = en ? 'igepay sandbox gateway' : 'igepay 沙盒网关';
  return renderPage({
    lang: view.lang,
    title,
    otherLang: withLang(view.path, en ? 'zh-CN' : 'en'),
    body: `<main>
  <h1>${title}</h1>
  <p>${
    en
      ? 'A simulator of the igepay gateway: it checks pay requests and their key, shows a cashier page, and notifies your server as igepay does, with faults on request.'
      : '模拟 igepay 支付网关：校验支付请求及其 key，显示收银台页面，并像 igepay 一样通知您的服务器，可按需模拟各种异常。'
  }</p>
  <dl>
    <dt>${en ? 'Pay URL' : '支付网址'}</dt><dd><code>${escapeHtml(view.payUrl)}</code></dd>
    <dt>uid</dt><dd><code>${escapeHtml(view.merchantUid)}</code></dd>
  </dl>
  <p><a href="${escapeHtml(withLang(view.inspectPath, view.lang))}">${en ? 'Notification log' : '查看通知记录'}</a></p>
</main>`,
  });
}
