import { spawn, type ChildProcess } from 'node:child_process';
import { rmSync } from 'node:fs';
import { expect, test } from '@playwright/test';
import { E2E_PORT } from '../playwright.config';

/** A Topolog of its own, so the test can restart it; the shared e2e servers keep running. */
const PORT = E2E_PORT + 3;
const BASE = `http://127.0.0.1:${PORT}`;
const DATA_DIR = '.test-data/e2e-restart';
const KAFKA = `127.0.0.1:${process.env.KAFKA_PORT ?? '9092'}`;

function startTopolog(): ChildProcess {
  return spawn(
    process.execPath,
    ['--import', 'tsx', 'server/main.ts', '--host', '127.0.0.1', '--port', String(PORT), '--brokers', KAFKA, '--poll-interval-ms', '1000', '--slow-poll-interval-ms', '2000', '--data-dir', DATA_DIR],
    { env: { ...process.env, NODE_ENV: 'production', NEXT_TELEMETRY_DISABLED: '1' }, stdio: 'ignore' },
  );
}

async function stopTopolog(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  await exited;
}

/** Resolves once the group has a page on this server (the cluster answered and the slow poll listed the group). */
async function waitForGroup(group: string): Promise<void> {
  await expect
    .poll(async () => (await fetch(`${BASE}/api/clusters/default/groups/${group}`).catch(() => null))?.status ?? 0, { timeout: 90_000, intervals: [1000] })
    .toBe(200);
}

test('the group charts show history recorded before a restart of the server', async ({ page }) => {
  test.setTimeout(240_000);
  rmSync(DATA_DIR, { recursive: true, force: true });
  let server = startTopolog();
  try {
    await waitForGroup('analytics-service');
    // Twenty poll cycles of history, then a restart.
    await page.waitForTimeout(20_000);
    await stopTopolog(server);
    const restartedAt = Date.now();
    server = startTopolog();
    await waitForGroup('analytics-service');

    await page.goto(`${BASE}/clusters/default/groups/analytics-service?range=15m`);
    const chart = page.getByTestId('chart-lag');
    await expect(chart).toBeVisible({ timeout: 30_000 });
    // Points from before the restart come from the store: the chart starts well before the server did.
    await expect.poll(async () => Number((await chart.getAttribute('data-first-t')) || Number.MAX_SAFE_INTEGER), { timeout: 30_000 }).toBeLessThan(restartedAt - 10_000);
    await expect.poll(async () => Number(await chart.getAttribute('data-points')), { timeout: 30_000 }).toBeGreaterThan(10);
    // The status timeline too: the status log was written before the restart.
    const timeline = page.getByTestId('status-timeline');
    await expect(timeline.locator('[data-status]:not([data-status="unknown"])').first()).toBeVisible();
  } finally {
    await stopTopolog(server);
  }
});
