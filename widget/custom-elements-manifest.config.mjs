import { readFileSync, writeFileSync } from 'node:fs';
import { customElementJsxPlugin } from 'custom-element-jsx-integration';
import { customElementVuejsPlugin } from 'custom-element-vuejs-integration';

// `pnpm --filter @igepay/widget analyze`: custom-elements.json (editors, Storybook, docs) and
// the JSX (React 19, Preact, Solid...) and Vue typings that give users attribute completion.
// IGEPAY_CEM_OUTDIR (with --outdir) sends the typings elsewhere: the test that keeps these
// files current uses it.
const types = `${process.env.IGEPAY_CEM_OUTDIR ?? '.'}/types`;

/**
 * The manifest names each event's class (`@fires {IgepayPaidEvent} igepay-paid`), but the typing
 * generators wrap an event's type in `CustomEvent<...>`, which wants the detail: the typings
 * get each class's `...Detail` type (exported beside it), and the manifest keeps the classes.
 */
function eventDetailsForTypings() {
  const swap = (manifest, from, to) => {
    for (const module of manifest.modules)
      for (const declaration of module.declarations ?? [])
        for (const event of declaration.events ?? [])
          if (event.type?.text?.endsWith(from))
            event.type.text = event.type.text.replace(new RegExp(`${from}$`), to);
  };
  return [
    {
      name: 'igepay-event-details',
      packageLinkPhase: ({ customElementsManifest }) => swap(customElementsManifest, 'Event', 'Detail'),
    },
    {
      name: 'igepay-event-classes',
      packageLinkPhase: ({ customElementsManifest }) => swap(customElementsManifest, 'Detail', 'Event'),
    },
  ];
}
const [toDetails, toClasses] = eventDetailsForTypings();

/**
 * Lit's `state: true` properties are internal and have no attribute, but the analyzer lists
 * them as attributes: take them out, so they stay out of the typings too.
 */
const internalStateIsNoAttribute = {
  name: 'igepay-internal-state',
  packageLinkPhase: ({ customElementsManifest }) => {
    for (const module of customElementsManifest.modules)
      for (const declaration of module.declarations ?? []) {
        const internal = new Set(
          (declaration.members ?? [])
            .filter((member) => member.privacy === 'private')
            .map((member) => member.name),
        );
        for (const member of declaration.members ?? [])
          if (internal.has(member.name)) delete member.attribute;
        if (declaration.attributes) {
          declaration.attributes = declaration.attributes.filter(
            (attribute) => !internal.has(attribute.fieldName),
          );
        }
      }
  },
};

/**
 * Vue binds `@igepay-paid` as the prop `onIgepayPaid` (the event's name camelized), so that is
 * the prop its type checker (vue-tsc) looks for; the Vue generator names it `onigepay-paid`,
 * which Vue never matches, leaving a handler's event untyped. Rename them, once the file is
 * written.
 */
const vueEventProps = {
  name: 'igepay-vue-event-props',
  packageLinkPhase: () => {
    const file = `${types}/vue.d.ts`;
    const camel = (name) => name.replace(/(^|-)([a-z])/g, (_match, _dash, letter) => letter.toUpperCase());
    writeFileSync(
      file,
      readFileSync(file, 'utf8').replace(/"on([a-z][a-z-]*)"\?:/g, (_match, event) => `on${camel(event)}?:`),
    );
  },
};

export default {
  globs: ['src/igepay-button.ts'],
  litelement: true,
  // Only a real `analyze` points package.json's "customElements" at the manifest: the test's
  // run (IGEPAY_CEM_OUTDIR) writes into a temporary folder and must leave the package alone.
  packagejson: !process.env.IGEPAY_CEM_OUTDIR,
  plugins: [
    internalStateIsNoAttribute,
    toDetails,
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
    vueEventProps,
    toClasses,
  ],
};
