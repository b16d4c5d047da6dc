import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Integration and end-to-end tests start DynamoDB Local (a JVM) and the SQS emulator.
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: 'forks',
  },
});
