import type { FastifyRequest } from 'fastify';
import { escapeHtml, htmlPage, type PageLang, pageHeaders, pageLang } from '../../pages/html.js';

/** The language of a simulator page: `?lang=en` or `?lang=zh-CN` first, then the browser's. */
export function langOf(request: FastifyRequest): PageLang {
  const { lang } = request.query as { lang?: unknown };
  if (lang === 'en' || lang === 'zh-CN') return lang;
  return pageLang(request.headers['accept-language']);
}

/** `path` with the page language kept, so a form post or a link answers in the same language. */
export function withLang(path: string, lang: PageLang): string {
  return `${path}${path.includes('?') ? '&' : '?'}lang=${lang}`;
}

/** Headers of a simulator page: its own forms, at most one nonce-bound script, no caching. */
export function simulatorPageHeaders(nonce?: string): Record<string, string> {
  return pageHeaders({ nonce, selfForms: true });
}

const BANNER = {
  'zh-CN': '沙盒环境 · 模拟 igepay 收银台 · 不会产生真实扣款',
  en: 'Sandbox · simulated igepay cashier · no real money moves',
} as const;

/** What a simulator page is made of. */
export interface PageParts {
  readonly lang: PageLang;
  readonly title: string;
  readonly body: string;
  /** `<meta http-equiv="refresh">`: after `seconds`, to `url` (default: this page). */
  readonly refresh?: { readonly seconds: number; readonly url?: string } | undefined;
  readonly nonce?: string | undefined;
  readonly script?: string | undefined;
  /** The link that shows this page in the other language. */
  readonly otherLang?: string | undefined;
}

/** A complete simulator page: the sandbox banner, the content, the language switch. */
export function renderPage(parts: PageParts): string {
  const switchLang = parts.otherLang
    ? `<a class="lang" href="${escapeHtml(parts.otherLang)}">${parts.lang === 'en' ? '中文' : 'English'}</a>`
    : '';
  return htmlPage({
    lang: parts.lang,
    title: parts.title,
    refresh: parts.refresh,
    styles: STYLES,
    body: `<div class="banner" role="note">${BANNER[parts.lang]}${switchLang}</div>\n${parts.body}`,
    script: parts.script && parts.nonce ? { nonce: parts.nonce, code: parts.script } : undefined,
  });
}

const STYLES = `
/* The brands' colours deepened until white text on them passes WCAG AA; text colours per scheme. */
:root { color-scheme: light dark; --wechat: #08843f; --alipay: #1a6be0; --ok: light-dark(#08843f, #3fcf7f); --danger: light-dark(#c4261b, #ff6b5e);
  font-family: system-ui, -apple-system, "PingFang SC", "Microsoft YaHei", sans-serif; }
* { box-sizing: border-box; }
a { color: light-dark(#0b57d0, #8ab4f8); }
body { margin: 0; background: light-dark(#f2f3f5, #16181c); color: light-dark(#1f2329, #e8eaed); }
.banner { background: #fff4d6; color: #6b4e00; font-size: .8rem; padding: .4rem 1rem; text-align: center; }
.banner .lang { margin-left: 1rem; color: inherit; }
main { max-width: 26rem; margin: 1.5rem auto; padding: 0 1rem; }
main.wide { max-width: 72rem; }
.card { background: light-dark(#fff, #23262b); border-radius: 12px; overflow: hidden; box-shadow: 0 1px 3px #0002; }
.brand { color: #fff; padding: .9rem 1.25rem; font-weight: 600; font-size: 1.1rem; display: flex; align-items: center; gap: .5rem; }
.brand.wechat { background: var(--wechat); } .brand.alipay { background: var(--alipay); }
.brand .mark { width: 1.6rem; height: 1.6rem; border-radius: 6px; background: #fff; display: grid; place-items: center; font-size: .95rem; }
.brand.wechat .mark { color: var(--wechat); } .brand.alipay .mark { color: var(--alipay); }
.content { padding: 1.25rem; text-align: center; }
.amount { font-size: 2.2rem; font-weight: 700; margin: .25rem 0; font-variant-numeric: tabular-nums; }
.muted { color: light-dark(#5c6370, #a0a6ae); font-size: .9rem; }
.qr { width: 13rem; margin: 1rem auto .25rem; background: #fff; padding: .5rem; border-radius: 8px; }
.qr svg { display: block; width: 100%; height: auto; }
dl { display: grid; grid-template-columns: auto 1fr; gap: .3rem 1rem; text-align: left; font-size: .85rem; margin: 1rem 0; }
dt { color: light-dark(#5c6370, #a0a6ae); } dd { margin: 0; word-break: break-all; }
.countdown { font-variant-numeric: tabular-nums; font-weight: 600; }
details { text-align: left; font-size: .85rem; margin: 1rem 0; border: 1px solid light-dark(#e5e6eb, #3a3d42); border-radius: 8px; padding: .5rem .75rem; }
details label { display: block; margin: .35rem 0; }
.actions { display: grid; gap: .6rem; margin-top: 1rem; }
button, .button { font: inherit; font-size: 1rem; border: 0; border-radius: 8px; padding: .75rem 1rem; cursor: pointer; text-decoration: none; display: block; }
button:focus-visible, a:focus-visible { outline: 3px solid #c76b00; outline-offset: 2px; }
.pay.wechat { background: var(--wechat); color: #fff; } .pay.alipay { background: var(--alipay); color: #fff; }
.cancel { background: transparent; color: inherit; border: 1px solid light-dark(#c9cdd4, #4a4e55); }
.result { font-size: 1.3rem; font-weight: 600; margin: .5rem 0; }
.result.ok { color: var(--ok); } .result.bad { color: var(--danger); }
.error { color: var(--danger); }
.note { color: light-dark(#8a5a00, #f5c26b); }
ul.details { text-align: left; font-size: .85rem; }
code { font-size: .8rem; word-break: break-all; }
code.fields b { font-weight: 600; opacity: .7; }
table { width: 100%; border-collapse: collapse; font-size: .8rem; background: light-dark(#fff, #23262b); }
th, td { text-align: left; vertical-align: top; padding: .35rem .5rem; border-bottom: 1px solid light-dark(#e5e6eb, #3a3d42); }
td.ok { color: var(--ok); } td.bad { color: var(--danger); }
h1 { font-size: 1.3rem; } h2 { font-size: 1.05rem; margin-top: 2rem; }
`;
