import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['engine/**/*.test.ts', 'server/**/*.test.ts', 'test/**/*.test.ts', 'rules-tests/**/*.test.ts'],
    testTimeout: 60_000,
    pool: 'forks',
  },
});
