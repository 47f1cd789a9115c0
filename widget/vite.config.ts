import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { brotliCompressSync, gzipSync } from 'node:zlib';
import { minifyTemplateLiterals } from 'rollup-plugin-minify-template-literals';
import { minify } from 'terser';
import { defineConfig, type Plugin } from 'vite';

/**
 * A second pass with terser over the minified bundle: it folds what one pass leaves (annotations,
 * repeated expressions), about 1% of the gzipped size, which the budget needs.
 */
function terserPass(): Plugin {
  return {
    name: 'igepay-terser-pass',
    async generateBundle(_options, bundle) {
      for (const file of Object.values(bundle)) {
        if (file.type !== 'chunk') continue;
        const result = await minify(file.code, {
          module: true,
          compress: { passes: 2 },
          format: { ecma: 2020 },
        });
        if (result.code) file.code = result.code;
      }
    },
  };
}

/** Writes `widget.js.gz` and `widget.js.br` beside the bundle, for the server to send as is. */
function precompress(): Plugin {
  let outDir = '';
  return {
    name: 'igepay-precompress',
    configResolved(config) {
      outDir = config.build.outDir;
    },
    writeBundle(_options, bundle) {
      for (const file of Object.values(bundle)) {
        if (file.type !== 'chunk') continue;
        const path = join(outDir, file.fileName);
        writeFileSync(`${path}.gz`, gzipSync(file.code, { level: 9 }));
        writeFileSync(`${path}.br`, brotliCompressSync(file.code));
      }
    },
  };
}

// One minified ES module, Lit included: what the server sends as `/widget.js`.
export default defineConfig({
  resolve: { conditions: ['@igepay/source', 'browser', 'import', 'default'] },
  build: {
    target: 'es2022',
    outDir: 'dist',
    emptyOutDir: false,
    lib: { entry: 'src/index.ts', formats: ['es'], fileName: () => 'widget.js' },
    // Imported constants (API paths, error codes) become literals where they are used.
    rolldownOptions: { output: { minify: true }, optimization: { inlineConst: true } },
  },
  // Lit's html`` and css`` templates keep their source indentation unless minified.
  plugins: [
    // Our templates only: Lit's own modules have none (and css.ts names unsafeCSS, which the
    // minifier warns about).
    minifyTemplateLiterals({ failOnError: true, filter: (id) => /\/widget\/src\/(?!css\.ts$)/.test(id) }),
    terserPass(),
    precompress(),
  ],
});
