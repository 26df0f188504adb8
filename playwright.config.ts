import { defineConfig } from '@playwright/test';

const KAFKA = `127.0.0.1:${process.env.KAFKA_PORT ?? '9092'}`;
export const E2E_PORT = Number(process.env.E2E_PORT ?? 3100);
export const E2E_UNREACHABLE_PORT = E2E_PORT + 1;
const server = (args: string) => `node --import tsx server/main.ts --host 127.0.0.1 ${args}`;

// Real Chromium from Debian (no browser download is possible here), real Topolog servers, the real local Kafka.
export default defineConfig({
  testDir: 'e2e',
  outputDir: 'test-results/e2e',
  timeout: 60_000,
  expect: { timeout: 20_000 },
  fullyParallel: false,
  workers: 1,
  retries: 0,
  reporter: [['list'], ['json', { outputFile: '.test-reports/e2e.json' }]],
  globalSetup: './e2e/global-setup.ts',
  use: {
    baseURL: `http://127.0.0.1:${E2E_PORT}`,
    browserName: 'chromium',
    viewport: { width: 1440, height: 900 },
    trace: 'retain-on-failure',
    screenshot: 'only-on-failure',
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      // The machine's network is closed: background services would only fail noisily.
      args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    },
  },
  webServer: [
    {
      // Production build (npm test builds it first); a short poll interval and a 20 s status window (the config
      // file) keep the tests quick: a stopped consumer shows on the map within seconds, not the default 10 minutes.
      command: server(`--port ${E2E_PORT} --config e2e/topolog.e2e.json --brokers ${KAFKA} --poll-interval-ms 1000 --slow-poll-interval-ms 2000 --data-dir .test-data/e2e`),
      url: `http://127.0.0.1:${E2E_PORT}/api/health`,
      timeout: 120_000,
      reuseExistingServer: false,
      stdout: 'pipe',
      env: { NODE_ENV: 'production', NEXT_TELEMETRY_DISABLED: '1' },
    },
    {
      // Nothing listens on port 1: this server's only cluster is unreachable.
      command: server(`--port ${E2E_UNREACHABLE_PORT} --brokers 127.0.0.1:1 --poll-interval-ms 1000 --slow-poll-interval-ms 2000 --data-dir .test-data/e2e-unreachable`),
      url: `http://127.0.0.1:${E2E_UNREACHABLE_PORT}/api/health`,
      timeout: 120_000,
      reuseExistingServer: false,
      env: { NODE_ENV: 'production', NEXT_TELEMETRY_DISABLED: '1' },
    },
  ],
});
