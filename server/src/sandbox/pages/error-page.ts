import { escapeHtml, type PageLang } from '../../pages/html.js';
import type { GatewayError } from '../errors.js';
import { renderPage } from './layout.js';

/** The page a browser sees when the simulator refuses a request, with what to fix. */
export function renderErrorPage(error: GatewayError, lang: PageLang): string {
  const title = lang === 'en' ? 'Payment request refused' : '支付请求无法处理';
  const details = error.details.map((detail) => `<li><code>${escapeHtml(detail)}</code></li>`).join('');
  return renderPage({
    lang,
    title,
    body: `<main>
  <div class="card"><div class="content">
    <p class="result bad" role="alert">${title}</p>
    <p class="error">${escapeHtml(error.text(lang).split(': ')[0] ?? '')} <span class="muted">(code ${error.code})</span></p>
    ${details ? `<ul class="details">${details}</ul>` : ''}
  </div></div>
</main>`,
  });
}
