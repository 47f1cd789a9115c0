import { randomBytes } from 'node:crypto';

const ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/** Escapes text for HTML content and quoted attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => ESCAPES[char] ?? char);
}

/** The page languages. */
export type PageLang = 'zh-CN' | 'en';

/** Chinese unless the browser prefers English (the first Accept-Language entry). */
export function pageLang(acceptLanguage: string | undefined): PageLang {
  return /^\s*en\b/i.test(acceptLanguage ?? '') ? 'en' : 'zh-CN';
}

/** What a server-rendered page may do beyond showing itself. */
export interface PagePowers {
  /** The nonce of the page's one inline script. */
  readonly nonce?: string | undefined;
  /** Load scripts from this origin (the demo shop loads `/widget.js`). */
  readonly selfScripts?: boolean;
  /** Call this origin's API (the widget does). */
  readonly selfConnect?: boolean;
  /** Post forms to this origin (the simulator's buttons, the gateway form in sandbox mode). */
  readonly selfForms?: boolean;
}

/**
 * Headers for our server-rendered pages: a CSP that allows only what the page needs,
 * nothing cached, no referrer leaks.
 */
export function pageHeaders(powers: PagePowers = {}): Record<string, string> {
  const scripts = [powers.selfScripts && "'self'", powers.nonce && `'nonce-${powers.nonce}'`].filter(Boolean);
  return {
    'content-type': 'text/html; charset=utf-8',
    'cache-control': 'no-store',
    'content-security-policy': [
      "default-src 'none'",
      "style-src 'unsafe-inline'",
      "img-src 'self' data:",
      `script-src ${scripts.length ? scripts.join(' ') : "'none'"}`,
      ...(powers.selfConnect ? ["connect-src 'self'"] : []),
      `form-action ${powers.selfForms ? "'self'" : "'none'"}`,
      "base-uri 'none'",
    ].join('; '),
    'referrer-policy': 'no-referrer',
    'x-content-type-options': 'nosniff',
  };
}

/** A fresh CSP nonce for a page's one inline script. */
export function newNonce(): string {
  return randomBytes(16).toString('base64');
}

/** A server page's own parts: everything but the skeleton every page of the server shares. */
export interface HtmlPage {
  readonly lang: PageLang;
  readonly title: string;
  /** The page's stylesheet (its CSP allows inline styles only). */
  readonly styles: string;
  readonly body: string;
  /** `<meta http-equiv="refresh">`: after `seconds`, to `url` (default: this page). */
  readonly refresh?: { readonly seconds: number; readonly url?: string | undefined } | undefined;
  /** More in `<head>`, before the styles (a module script). */
  readonly head?: string | undefined;
  /** The page's one inline script, run at the end of `<body>` under its CSP nonce. */
  readonly script?: { readonly nonce: string; readonly code: string } | undefined;
}

/**
 * The one skeleton of the server's pages (the return page, the simulator's pages, the demo
 * shop): doctype, language, viewport, no favicon request, then the page's own parts.
 */
export function htmlPage(page: HtmlPage): string {
  const refresh = page.refresh
    ? `<meta http-equiv="refresh" content="${page.refresh.seconds}${page.refresh.url ? `;url=${escapeHtml(page.refresh.url)}` : ''}">\n`
    : '';
  const script = page.script ? `\n<script nonce="${page.script.nonce}">${page.script.code}</script>` : '';
  return `<!doctype html>
<html lang="${page.lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
${refresh}<title>${escapeHtml(page.title)}</title>
<link rel="icon" href="data:,">
${page.head ? `${page.head}\n` : ''}<style>${page.styles}</style>
</head>
<body>
${page.body}${script}
</body>
</html>`;
}
