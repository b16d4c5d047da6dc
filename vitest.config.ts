import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    // Integration and end-to-end tests start DynamoDB Local (a JVM) and the SQS emulator.
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: 'forks',
    projects: [
      { extends: true, test: { name: 'all', include: ['test/**/*.test.ts'] } },
      {
        // The simulators are our guesses: the sync runs again on the other reading of every assumption,
        // Greenhouse's write contract and Beamery's login and field locations, with the clients
        // configured as a tenant of that kind would need (test/integration/beamery/harness.ts).
        extends: true,
        test: {
          name: 'sync on the strict simulators',
          include: ['test/integration/sync/**/*.test.ts'],
          env: { GREENHOUSE_SIM_API_CONTRACT: 'strict', BEAMERY_SIM_VARIANT: 'strict' },
        },
      },
    ],
  },
});
