import { copyFileSync } from 'node:fs';
import { expect, test, type Page } from '@playwright/test';
import { Kafka, logLevel } from 'kafkajs';
import { suppressTimeoutNegativeWarning } from '../demo/lib/kafka';
import { DEMO_GROUPS, DEMO_TOPICS } from '../demo/scenario';
import { E2E_UNREACHABLE_PORT } from '../playwright.config';

const BROKERS = [`127.0.0.1:${process.env.KAFKA_PORT ?? '9092'}`];
const SCREENS = 'test-results/screens';

// kafkajs 2.2.4 on Node 24 warns about negative timeouts (kafkajs#1751): noise, not a problem.
suppressTimeoutNegativeWarning();

async function setTheme(page: Page, theme: 'light' | 'dark') {
  await page.addInitScript((t) => localStorage.setItem('topolog-theme', t), theme);
}

test('the groups and topics lists show the live cluster with the demo topics and consumer groups', async ({ page }) => {
  await setTheme(page, 'light');
  // The old combined page's address still works: it leads to the groups list.
  await page.goto('/clusters/default/overview');
  await expect(page).toHaveURL(/\/clusters\/default\/groups/);
  await expect(page.getByTestId('cluster-state')).toHaveAttribute('data-state', 'ok');
  const groups = page.getByTestId('groups-table');
  for (const group of DEMO_GROUPS) {
    const row = groups.locator(`[data-group="${group}"]`);
    await expect(row).toBeVisible();
    await expect(row).toContainText('Stable');
  }
  // email-service reads user.registered: the group says what it consumes.
  await expect(groups.locator('[data-group="email-service"]')).toContainText('user.registered');
  await page.screenshot({ path: `${SCREENS}/groups-light.png`, fullPage: true });

  await page.getByTestId('view-topics').click();
  const topics = page.getByTestId('topics-table');
  for (const { topic } of DEMO_TOPICS) await expect(topics.locator(`[data-topic="${topic}"]`)).toBeVisible();
  // Internal topics are hidden by default and one click away.
  await expect(topics.locator('[data-topic="__consumer_offsets"]')).toHaveCount(0);
  await page.getByLabel(/Show internal topics/).check();
  await expect(topics.locator('[data-topic="__consumer_offsets"]')).toBeVisible();
  await page.getByLabel(/Show internal topics/).uncheck();
  await page.screenshot({ path: `${SCREENS}/topics-light.png`, fullPage: true });
  // The README's picture of the topics list, from this run's demo.
  copyFileSync(`${SCREENS}/topics-light.png`, 'docs/topics-list.png');
});

test('a topic created while the page is open appears without a reload', async ({ page }) => {
  await page.goto('/clusters/default/topics');
  await expect(page.getByTestId('cluster-state')).toHaveAttribute('data-state', 'ok');
  const topic = `e2e-live-${Date.now().toString(36)}`;
  const navigations: string[] = [];
  page.on('framenavigated', (frame) => navigations.push(frame.url()));

  const admin = new Kafka({ clientId: 'topolog-e2e', brokers: BROKERS, logLevel: logLevel.NOTHING }).admin();
  await admin.connect();
  try {
    await admin.createTopics({ topics: [{ topic, numPartitions: 2, replicationFactor: 1 }], waitForLeaders: true });
    const row = page.getByTestId('topics-table').locator(`[data-topic="${topic}"]`);
    await expect(row).toBeVisible();
    await expect(row).toContainText('2');
    await admin.deleteTopics({ topics: [topic] });
    await expect(row).toHaveCount(0);
  } finally {
    await admin.disconnect();
  }
  expect(navigations).toEqual([]);
});

test('the filters narrow topics and groups', async ({ page }) => {
  await page.goto('/clusters/default/topics');
  await expect(page.getByTestId('topics-table').locator('[data-topic="orders"]')).toBeVisible();
  await page.getByLabel('Filter topics by name').fill('payment');
  await expect(page.getByTestId('topics-table').locator('[data-topic="payments"]')).toBeVisible();
  await expect(page.getByTestId('topics-table').locator('[data-topic="user.registered"]')).toHaveCount(0);
  await page.goto('/clusters/default/groups');
  await expect(page.getByTestId('groups-table').locator('[data-group="email-service"]')).toBeVisible();
  await page.getByLabel('Filter groups by name or topic').fill('payment');
  await expect(page.getByTestId('groups-table').locator('[data-group="payment-service"]')).toBeVisible();
  await expect(page.getByTestId('groups-table').locator('[data-group="email-service"]')).toHaveCount(0);
  // The filter lives in the address: a reload keeps it.
  await expect(page).toHaveURL(/q=payment/);
  await page.reload();
  await expect(page.getByTestId('groups-table').locator('[data-group="email-service"]')).toHaveCount(0);
});

test('dark mode', async ({ page }) => {
  await setTheme(page, 'dark');
  await page.goto('/clusters/default/groups');
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark');
  await expect(page.getByTestId('groups-table').locator('[data-group="email-service"]')).toBeVisible();
  await page.screenshot({ path: `${SCREENS}/home-dark.png`, fullPage: true });
  await page.getByRole('button', { name: 'Toggle dark mode' }).click();
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'light');
});

test('an unreachable broker is shown as unreachable with its error and what to do', async ({ page }) => {
  await page.goto(`http://127.0.0.1:${E2E_UNREACHABLE_PORT}/`);
  await expect(page.getByTestId('cluster-state')).toHaveAttribute('data-state', 'unreachable');
  const error = page.getByTestId('cluster-error');
  await expect(error).toContainText('Connection refused by 127.0.0.1:1.');
  await expect(error).toContainText('Is the broker running');
  await expect(error).toContainText(/Next attempt in|Retrying now/);
  // The map says why it is empty instead of showing an empty canvas as if the cluster had no flows.
  await expect(page.getByTestId('map-empty')).toContainText('keeps retrying');
  await page.screenshot({ path: `${SCREENS}/unreachable.png`, fullPage: true });
  await page.goto(`http://127.0.0.1:${E2E_UNREACHABLE_PORT}/clusters/default/groups`);
  await expect(page.getByTestId('no-data')).toContainText('keeps retrying');
});
