import { defineConfig } from 'vitest/config';

/** Only the LangGraph checkpointer conformance suite runs on vitest (the package is vitest-based); everything else is jest. */
export default defineConfig({
  test: {
    include: ['tests/conformance/**/*.spec.ts'],
    globals: true,
    environment: 'node',
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
    maxWorkers: 1,
  },
});
