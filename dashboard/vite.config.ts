import { minifyTemplateLiterals } from 'rollup-plugin-minify-template-literals';
import { defineConfig } from 'vite';

/**
 * The dashboard: one page and one script, served by the signing server at `/admin/`. Relative
 * URLs (`base: './'`), so it works under any prefix; no inline script or style, for its CSP.
 */
export default defineConfig({
  root: import.meta.dirname,
  base: './',
  resolve: { conditions: ['@igepay/source', 'browser', 'import', 'default'] },
  build: {
    target: 'es2022',
    outDir: 'dist',
    emptyOutDir: true,
    modulePreload: false,
    assetsInlineLimit: 0,
  },
  // Our templates only: Lit's own modules name unsafeCSS, which the minifier warns about.
  plugins: [minifyTemplateLiterals({ failOnError: true, filter: (id) => /\/dashboard\/src\//.test(id) })],
});
