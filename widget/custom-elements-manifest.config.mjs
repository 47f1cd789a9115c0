import { customElementJsxPlugin } from 'custom-element-jsx-integration';
import { customElementVuejsPlugin } from 'custom-element-vuejs-integration';

// `pnpm --filter @igepay/widget analyze`: custom-elements.json (editors, Storybook, docs) and
// the JSX (React 19, Preact, Solid...) and Vue typings that give users attribute completion.
// IGEPAY_CEM_OUTDIR (with --outdir) sends the typings elsewhere: the test that keeps these
// files current uses it.
const types = `${process.env.IGEPAY_CEM_OUTDIR ?? '.'}/types`;

export default {
  globs: ['src/igepay-button.ts'],
  litelement: true,
  // Only a real `analyze` points package.json's "customElements" at the manifest: the test's
  // run (IGEPAY_CEM_OUTDIR) writes into a temporary folder and must leave the package alone.
  packagejson: !process.env.IGEPAY_CEM_OUTDIR,
  plugins: [
    customElementJsxPlugin({
      outdir: types,
      fileName: 'jsx.d.ts',
      globalTypePath: '../dist/lib/index.js',
      hideLogs: true,
    }),
    customElementVuejsPlugin({
      outdir: types,
      fileName: 'vue.d.ts',
      globalTypePath: '../dist/lib/index.js',
      hideLogs: true,
    }),
  ],
};
