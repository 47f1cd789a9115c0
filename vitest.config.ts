import { defineConfig } from 'vitest/config';

// Tests run on the TypeScript sources of every package (the "@igepay/source" export
// condition), so no build is needed first.
const conditions = ['@igepay/source', 'import', 'node', 'default'];

export default defineConfig({
  resolve: { conditions },
  ssr: { resolve: { conditions, externalConditions: conditions } },
  test: {
    include: ['{shared,server,test}/src/**/*.test.ts'],
    globalSetup: ['test/src/global-setup.ts'],
    testTimeout: 20_000,
    hookTimeout: 30_000,
  },
});
