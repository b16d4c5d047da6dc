import { defineConfig } from 'vitest/config';

/**
 * Three groups, one after the other (`sequence.groupOrder`). The machines that run CI have two cores:
 * the unit, CDK and integration files run two at a time; then the sync again on the strict
 * simulators; then the end-to-end files, one at a time, since each runs a whole local stack with its
 * own consumers and the chaos run's timing (consumers killed mid-batch, Beamery edits only once
 * contacts exist) is what it measures. Two end-to-end files side by side on two cores starve each other.
 */
export default defineConfig({
  test: {
    // Integration and end-to-end tests start DynamoDB Local (a JVM) and the SQS emulator.
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: 'forks',
    projects: [
      {
        extends: true,
        test: { name: 'all', include: ['test/**/*.test.ts'], exclude: ['test/e2e/**'], maxWorkers: 2, sequence: { groupOrder: 0 } },
      },
      {
        // The simulators are our guesses: the sync runs again on the other reading of every assumption,
        // Greenhouse's write contract and Beamery's login and field locations, with the clients
        // configured as a tenant of that kind would need (test/integration/beamery/harness.ts).
        extends: true,
        test: {
          name: 'sync on the strict simulators',
          include: ['test/integration/sync/**/*.test.ts'],
          env: { GREENHOUSE_SIM_API_CONTRACT: 'strict', BEAMERY_SIM_VARIANT: 'strict' },
          maxWorkers: 2,
          sequence: { groupOrder: 1 },
        },
      },
      { extends: true, test: { name: 'e2e', include: ['test/e2e/**/*.test.ts'], maxWorkers: 1, sequence: { groupOrder: 2 } } },
    ],
  },
});
