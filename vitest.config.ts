import { defineConfig } from 'vitest/config';

// Two projects: pure unit tests, and integration tests that run against the real local Kafka broker
// (started once by the global setup; never a mocked broker).
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          include: ['{lib,server,components,demo}/**/*.test.ts'],
          exclude: ['**/*.int.test.ts', 'node_modules/**'],
          environment: 'node',
        },
      },
      {
        test: {
          name: 'integration',
          include: ['{lib,server,demo}/**/*.int.test.ts'],
          environment: 'node',
          globalSetup: ['./server/test/kafka-global-setup.ts'],
          testTimeout: 60_000,
          hookTimeout: 120_000,
          // One broker on 2 cores: files run one after another so timings stay sane.
          fileParallelism: false,
        },
      },
    ],
  },
});
