import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['engine/**/*.test.ts', 'server/**/*.test.ts', 'test/**/*.test.ts', 'rules-tests/**/*.test.ts'],
    testTimeout: 60_000,
    pool: 'forks',
    // A throwaway PostgreSQL cluster for the database tests (uses TEST_DATABASE_URL when set).
    globalSetup: ['test/setup/postgres.ts'],
  },
});
