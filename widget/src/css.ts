import { type CSSResult, unsafeCSS } from 'lit';

/**
 * A `css` tag for a stylesheet without interpolations: the literal becomes one CSSResult. It
 * needs none of the checks of Lit's own `css`, whose error texts would cost the bundle about
 * 100 bytes gzipped. It is named `css`, so that the build minifies the templates it tags; and
 * it lives in a module of its own, because the minifier leaves alone any file that mentions
 * Lit's `unsafeCSS`.
 */
export const css = (strings: TemplateStringsArray): CSSResult => unsafeCSS(strings[0]);
