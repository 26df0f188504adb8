import { readFileSync } from 'node:fs';
import { expect, test, type Locator } from '@playwright/test';
import { DEMO_PIDS_FILE } from './global-setup';
import { shoot } from './screens';
import { startWebhookReceiver, type ReceivedHook } from './webhook-receiver';

/** e2e/topolog.e2e.json points its alert webhooks here. */
const WEBHOOK_PORT = 3102;

async function chartValue(chart: Locator): Promise<number | null> {
  const raw = await chart.getAttribute('data-last-value');
  return raw === null || raw === '' ? null : Number(raw);
}

/**
 * A notification about email-service's incident that began at or after `since`. Earlier incidents (the map test
 * pauses the same service) may still be queued for retry when the receiver comes up, so they are told apart by
 * time: the generic JSON payload carries `event` and `alert.since`; Slack's attachment its colour and `ts`, the
 * moment of the event.
 */
function isAbout(hook: ReceivedHook, state: 'firing' | 'resolved', since: number): boolean {
  const body = hook.body as { event?: string; alert?: { since?: string }; attachments?: { color?: string; ts?: number }[] } | null;
  if (!body || !JSON.stringify(body).includes('email-service')) return false;
  if (hook.path === '/hook') return body.event === `alert.${state}` && Date.parse(body.alert?.since ?? '') >= since;
  const attachment = body.attachments?.[0];
  return (attachment?.color ?? '') === (state === 'firing' ? '#c62828' : '#1f9d55') && (attachment?.ts ?? 0) >= Math.floor(since / 1000);
}

test.describe.configure({ mode: 'serial' });

test('the topic page shows partitions, configs, its writer and its readers', async ({ page }) => {
  await page.goto('/clusters/default/topics/user.registered');
  await expect(page.getByTestId('topic-title')).toHaveText('user.registered');
  await expect(page.getByTestId('topic-partition-row')).toHaveCount(3);
  await expect(page.getByTestId('topic-configs')).toContainText('delete');
  await expect(page.getByTestId('producers-table').locator('[data-producer="signup-service"]')).toBeVisible({ timeout: 60_000 });
  const readers = page.getByTestId('consumers-table');
  await expect(readers.locator('[data-group="email-service"]')).toBeVisible();
  await expect(readers.locator('[data-group="analytics-service"]')).toBeVisible();
  await expect(page.getByTestId('chart-produce-rate')).not.toHaveAttribute('data-points', '0');
  await shoot(page, 'topic-page', 'topic-page');
  // A reader links to its group page.
  await readers.locator('[data-group="email-service"]').getByRole('link').click();
  await expect(page.getByTestId('group-title')).toHaveText('email-service');
  await expect(page.getByTestId('partition-row')).toHaveCount(3);
  await expect(page.getByTestId('members-table')).toBeVisible();
});

test('an unknown group or topic says so and links back', async ({ page }) => {
  await page.goto('/clusters/default/groups/no-such-group-e2e');
  await expect(page.getByTestId('group-error')).toContainText('No consumer group "no-such-group-e2e"');
  await page.goto('/clusters/default/topics/no-such-topic-e2e');
  await expect(page.getByTestId('topic-error')).toContainText('No topic "no-such-topic-e2e"');
});

// The on-call journey of issue 6. It pauses email-service (SIGSTOP: the demo runner does not restart a paused
// service), so it runs after the map's own pause has been resumed and the group is OK again.
test('email-service stops: STOP on the list and its page, lag rising, alert fired; resumed: ETA, OK, alert resolved', async ({ page }) => {
  test.setTimeout(480_000);
  const receiver = await startWebhookReceiver(WEBHOOK_PORT);
  const pid = (JSON.parse(readFileSync(DEMO_PIDS_FILE, 'utf8')) as Record<string, number>)['email-service'];
  expect(pid).toBeGreaterThan(0);
  try {
    await page.goto('/clusters/default/groups');
    const row = page.getByTestId('groups-table').locator('[data-group="email-service"]');
    await expect(row.getByTestId('group-status')).toHaveAttribute('data-status', 'OK', { timeout: 150_000 });

    const pausedAt = Date.now();
    process.kill(pid!, 'SIGSTOP');
    let paused = true;
    const hooks = (path: string, state: 'firing' | 'resolved') => receiver.hooks.filter((h) => h.path === path && isAbout(h, state, pausedAt));
    try {
      // The list: the group turns STOP once the paused member's session times out (no member, no commits, messages
      // waiting), and moves to the top. (A burst can make it STALL for a moment too; STOP is the stopped service.)
      await expect(row.getByTestId('group-status')).toHaveAttribute('data-status', 'STOP', { timeout: 120_000 });
      await expect(page.getByTestId('groups-table').locator('[data-group]').first()).toHaveAttribute('data-group', 'email-service');
      await shoot(page, 'groups-list-email-stopped', 'groups-list');

      // Its page: the same status, and lag and lag in seconds rising on the charts as live points arrive.
      await row.getByRole('link', { name: 'email-service' }).click();
      await expect(page.getByTestId('group-title')).toHaveText('email-service');
      await expect(page.getByTestId('card-status').getByTestId('group-status')).toHaveAttribute('data-status', 'STOP');
      await expect(page.getByTestId('card-eta')).toHaveAttribute('data-kind', 'not_consuming');
      await page.getByTestId('range-15m').click();
      const lagChart = page.getByTestId('chart-lag');
      const secondsChart = page.getByTestId('chart-lag-seconds');
      await expect.poll(() => chartValue(lagChart), { timeout: 30_000 }).toBeGreaterThan(0);
      const lagBefore = (await chartValue(lagChart))!;
      const secondsBefore = (await chartValue(secondsChart)) ?? 0;
      await expect.poll(() => chartValue(lagChart), { timeout: 30_000 }).toBeGreaterThan(lagBefore);
      await expect.poll(() => chartValue(secondsChart), { timeout: 30_000 }).toBeGreaterThan(secondsBefore);
      await expect(page.getByTestId('status-timeline').locator('[data-status="STOP"]').first()).toBeVisible();
      // The estimate checked on demand: the record at the committed offset, read for the worst partitions.
      await page.getByTestId('read-exact').click();
      await expect(page.locator('[data-testid="partition-lag-seconds"][data-method="exact"]').first()).toBeVisible({ timeout: 15_000 });

      // The alert: delivered to both webhooks (generic JSON and Slack), and listed as firing in the app.
      await expect.poll(() => hooks('/hook', 'firing').length, { timeout: 90_000 }).toBeGreaterThan(0);
      await expect.poll(() => hooks('/slack', 'firing').length, { timeout: 30_000 }).toBeGreaterThan(0);
      await shoot(page, 'group-page-email-stopped', 'group-page');
      await page.getByTestId('view-alerts').click();
      await expect(page.locator('[data-testid="alert-firing"][data-subject="email-service"]')).toBeVisible({ timeout: 30_000 });
      await shoot(page, 'alerts-firing', 'alerts');

      process.kill(pid!, 'SIGCONT');
      paused = false;

      // Resumed: it catches up with an ETA, then turns OK, and the alert resolves (one message, one resolve).
      await page.goto('/clusters/default/groups/email-service?range=15m');
      await expect(page.getByTestId('card-eta')).toHaveAttribute('data-kind', 'catching_up', { timeout: 150_000 });
      await expect(page.getByTestId('eta')).toContainText('left');
      await shoot(page, 'group-page-email-catching-up');
      await expect(page.getByTestId('card-status').getByTestId('group-status')).toHaveAttribute('data-status', 'OK', { timeout: 180_000 });
      await expect.poll(() => hooks('/hook', 'resolved').length, { timeout: 90_000 }).toBe(1);
      await expect.poll(() => hooks('/slack', 'resolved').length, { timeout: 30_000 }).toBe(1);
      // Dedupe: one firing message per webhook for the whole incident, however many cycles it lasted.
      expect(hooks('/hook', 'firing')).toHaveLength(1);
      expect(hooks('/slack', 'firing')).toHaveLength(1);
      await page.getByTestId('view-alerts').click();
      await expect(page.locator('[data-testid="alert-resolved"][data-subject="email-service"]').first()).toBeVisible({ timeout: 30_000 });
      await expect(page.locator('[data-testid="alert-firing"][data-subject="email-service"]')).toHaveCount(0);
    } finally {
      if (paused) process.kill(pid!, 'SIGCONT');
    }
  } finally {
    await receiver.close();
  }
});
