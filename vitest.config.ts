import { defineConfig } from 'vitest/config';

// Tests run on the TypeScript sources of every package (the "@igepay/source" export
// condition), so no build is needed first.
// No `import` here: Vitest passes these to Node as --conditions, and with `import` set a
// CommonJS `require` inside a dependency (pg's of pg-pool) loads the ESM build instead. Vite
// adds `import`/`require` by itself, from how each module is loaded.
const conditions = ['@igepay/source', 'node', 'default'];

export default defineConfig({
  resolve: { conditions },
  ssr: { resolve: { conditions, externalConditions: conditions } },
  test: {
    include: ['{shared,webhook,server,dashboard}/test/**/*.test.ts', 'test/src/**/*.test.ts'],
    globalSetup: ['test/src/global-setup.ts', 'test/src/postgres-setup.ts', 'test/src/tls-setup.ts'],
    testTimeout: 20_000,
    hookTimeout: 30_000,
  },
});
