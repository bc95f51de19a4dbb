import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Property tests and scenario runs are CPU-bound; two cores is the target machine.
    pool: 'forks',
    testTimeout: 120_000,
    reporters: ['default', './test/plainSummaryReporter.ts'],
  },
});
