import { defineConfig } from 'vitest/config';

// Two projects: fast pure-logic unit tests next to the source, and e2e tests that boot the app
// against a real redis-server. Each e2e file claims a Redis DB of its own while it runs.
export default defineConfig({
  // `ff-relay` resolves to src/index.ts, so examples/ import it as a team's code would.
  resolve: { tsconfigPaths: true },
  test: {
    globals: true,
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          include: ['src/**/*.spec.ts'],
          // A hang detector, not a speed target: property tests run thousands of cases, which
          // a CPU hog on both cores slows past Vitest's 5 s.
          testTimeout: 30_000,
          sequence: { groupOrder: 0 },
        },
      },
      {
        extends: true,
        test: {
          name: 'e2e',
          include: ['test/**/*.e2e-spec.ts'],
          globalSetup: ['test/support/global-setup.ts'],
          setupFiles: ['test/support/redis-db.setup.ts'],
          testTimeout: 30_000,
          // A waited-for condition gets 10 s, not Vitest's 1 s: on a loaded 2-core machine a
          // process that answers in milliseconds when idle can take seconds.
          expect: { poll: { timeout: 10_000 } },
          hookTimeout: 60_000,
          maxWorkers: 2,
          sequence: { groupOrder: 1 },
        },
      },
    ],
  },
});
