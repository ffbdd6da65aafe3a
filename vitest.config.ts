import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 120_000,
    // Integration and e2e suites each start DynamoDB Local (a JVM); two at once is what 2 cores take.
    maxWorkers: 2,
  },
});
