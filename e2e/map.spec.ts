import { expect, test, type Locator, type Page } from '@playwright/test';
import { mkdirSync, readFileSync, copyFileSync } from 'node:fs';
import { DEMO_GROUPS, DEMO_SERVICE_NAMES, DEMO_TOPIC_NAMES } from '../demo/scenario';
import { DEMO_PIDS_FILE } from './global-setup';

const SCREENS = 'test-results/screens';
const MAP = '/clusters/default';

/** The demo's flow as the map must draw it: who writes each topic, which group reads it, which service runs the group. */
const DEMO_EDGES = [
  'produces|service:signup-service|topic:user.registered',
  'consumes|topic:user.registered|consumerGroup:email-service',
  'consumes|topic:user.registered|consumerGroup:analytics-service',
  'memberOf|consumerGroup:email-service|service:email-service',
  'memberOf|consumerGroup:analytics-service|service:analytics-service',
  'produces|service:email-service|topic:email.dlq',
  'deadLetters|topic:user.registered|topic:email.dlq',
  'produces|service:order-service|topic:orders',
  'consumes|topic:orders|consumerGroup:payment-service',
  'memberOf|consumerGroup:payment-service|service:payment-service',
  'produces|service:payment-service|topic:payments',
  'consumes|topic:payments|consumerGroup:ledger-service',
  'memberOf|consumerGroup:ledger-service|service:ledger-service',
];

const node = (page: Page, id: string): Locator => page.locator(`[data-testid="map-node"][data-id="${id}"]`);
const edge = (page: Page, id: string): Locator => page.locator(`[data-testid="map-edge"][data-id="${id}"]`);

async function openMap(page: Page, query = '', theme: 'light' | 'dark' = 'light') {
  await page.addInitScript((t) => localStorage.setItem('topolog-theme', t), theme);
  await page.goto(`${MAP}${query}`);
  await expect(page.getByTestId('topology-map')).toBeVisible();
}

test.describe.configure({ mode: 'serial' });

test('the map draws the demo flow: every service, topic and group, with the right edges', async ({ page }) => {
  test.setTimeout(180_000);
  await openMap(page);
  await expect(page.getByTestId('map-mode')).toContainText('Live');
  for (const s of DEMO_SERVICE_NAMES) await expect(node(page, `service:${s}`)).toBeVisible({ timeout: 120_000 });
  for (const t of DEMO_TOPIC_NAMES) await expect(node(page, `topic:${t}`)).toBeVisible();
  for (const g of DEMO_GROUPS) await expect(node(page, `consumerGroup:${g}`)).toBeVisible();
  // Writers come from sampled headers: the first samples can take a few discovery cycles.
  for (const id of DEMO_EDGES) await expect(edge(page, id)).toHaveCount(1, { timeout: 120_000 });
  // Live figures: the topic has a produce rate, the group a status.
  await expect(node(page, 'topic:user.registered').getByTestId('rate-badge')).toContainText('/s');
  await expect(node(page, 'consumerGroup:email-service')).toHaveAttribute('data-status', /.+/);
  // Flow direction on screen: writer left of topic, topic left of group (read from positions, not pixels compared to constants).
  const x = async (id: string) => (await node(page, id).boundingBox())!.x;
  expect(await x('service:signup-service')).toBeLessThan(await x('topic:user.registered'));
  expect(await x('topic:user.registered')).toBeLessThan(await x('consumerGroup:email-service'));
  expect(await x('consumerGroup:email-service')).toBeLessThan(await x('service:email-service'));
  // The docs screenshot shows the settled picture: every group judged (its status window full), none still evaluating.
  for (const g of DEMO_GROUPS) await expect(node(page, `consumerGroup:${g}`)).toHaveAttribute('data-status', /^(OK|WARN|STALL|STOP)$/, { timeout: 90_000 });
  await page.keyboard.press('f');
  await page.waitForTimeout(800);
  await page.screenshot({ path: `${SCREENS}/map-live.png` });
  // The main screenshot goes into the docs: the demo's whole flow, live, as a new user first sees it.
  mkdirSync('docs', { recursive: true });
  copyFileSync(`${SCREENS}/map-live.png`, 'docs/topology-map.png');

  // Selecting a node lights its flow from writer to the last reader and opens its details.
  await node(page, 'service:signup-service').click();
  await expect(page.getByTestId('details-panel')).toBeVisible();
  await expect(node(page, 'service:analytics-service')).toHaveClass(/emph-lit/);
  await expect(node(page, 'service:order-service')).toHaveClass(/emph-dim/);
  await page.waitForTimeout(500);
  await page.screenshot({ path: `${SCREENS}/map-selected.png` });
});

test('search, select, focus on a flow, and a deep link reproduces the view', async ({ page, context }) => {
  await openMap(page);
  await expect(node(page, 'consumerGroup:payment-service')).toBeVisible({ timeout: 60_000 });
  await page.keyboard.press('/');
  await expect(page.getByTestId('map-search')).toBeFocused();
  await page.keyboard.type('payments');
  await expect(page.getByTestId('search-count')).toContainText('match');
  await expect(node(page, 'topic:payments')).toHaveClass(/emph-lit/);
  await expect(node(page, 'topic:user.registered')).toHaveClass(/emph-dim/);
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('details-panel')).toHaveAttribute('data-selected', 'topic:payments');
  await expect(page.getByTestId('details-title')).toHaveText('payments');

  // Selecting lights the topic's flow up and down: its writer and its reader, not the signup flow.
  await expect(node(page, 'service:payment-service')).toHaveClass(/emph-lit/);
  await expect(node(page, 'consumerGroup:ledger-service')).toHaveClass(/emph-lit/);
  await expect(node(page, 'service:signup-service')).toHaveClass(/emph-dim/);

  // Motion only on the selected flow, and none for people who ask for reduced motion.
  const motion = page.locator('.flow-edge-motion').first();
  await expect(motion).toHaveCSS('animation-name', 'map-flow');
  await expect(page.locator('.flow-edge.emph-dim .flow-edge-motion')).toHaveCount(0);
  await page.emulateMedia({ reducedMotion: 'reduce' });
  await expect(motion).toHaveCSS('animation-name', 'none');
  await page.emulateMedia({ reducedMotion: 'no-preference' });

  await page.getByTestId('focus-button').click();
  await expect(page.getByTestId('focus-chip')).toContainText('payments');
  await expect(node(page, 'service:signup-service')).toHaveCount(0);
  // A focus stays local: up to the next service either way (its writer upstream, its reader's service downstream).
  await expect(node(page, 'service:payment-service')).toBeVisible();
  await expect(node(page, 'service:ledger-service')).toBeVisible();
  await expect(node(page, 'topic:orders')).toHaveCount(0);
  await page.waitForTimeout(500); // the focus fit is animated (300 ms)
  await page.screenshot({ path: `${SCREENS}/map-focus.png` });

  const link = page.url();
  expect(link).toContain('focus=topic%3Apayments');
  expect(link).toContain('node=topic%3Apayments');
  const other = await context.newPage();
  await other.goto(link);
  await expect(other.getByTestId('details-panel')).toHaveAttribute('data-selected', 'topic:payments');
  await expect(other.getByTestId('focus-chip')).toContainText('payments');
  await expect(other.locator('[data-testid="map-node"][data-id="service:signup-service"]')).toHaveCount(0);
  await expect(other.getByTestId('map-search')).toHaveValue('payments');
  await other.close();

  // Esc clears selection, search and focus: the whole map is back.
  await page.locator('.react-flow__pane').click({ position: { x: 5, y: 5 } });
  await page.keyboard.press('Escape');
  await expect(page.getByTestId('details-panel')).toHaveCount(0);
  await expect(page.getByTestId('focus-chip')).toHaveCount(0);
  await expect(node(page, 'service:signup-service')).toBeVisible();
  await expect(page).toHaveURL(new RegExp(`${MAP}$`));
});

test('filters by kind, folds groups into services and prefixes, shows internal topics on demand', async ({ page }) => {
  await openMap(page);
  await expect(node(page, 'consumerGroup:email-service')).toBeVisible({ timeout: 60_000 });
  await expect(node(page, 'topic:__consumer_offsets')).toHaveCount(0);

  await page.getByTestId('filter-menu').locator('summary').click();
  await page.getByTestId('filter-kind-consumerGroup').check();
  await expect(node(page, 'topic:user.registered')).toHaveCount(0);
  const kinds = await page.locator('[data-testid="map-node"]').evaluateAll((els) => [...new Set(els.map((e) => e.getAttribute('data-kind')))]);
  expect(kinds).toEqual(['consumerGroup']);
  await page.getByTestId('filter-kind-consumerGroup').uncheck();
  await page.getByTestId('filter-menu').locator('summary').click();

  await page.getByTestId('fold-menu').locator('summary').click();
  await page.getByTestId('fold-groups').check();
  await expect(node(page, 'consumerGroup:email-service')).toHaveCount(0);
  await expect(edge(page, 'consumes|topic:user.registered|service:email-service')).toHaveCount(1);
  await page.getByTestId('fold-topics').check();
  // payments and payment-… share no prefix; user.registered is alone with "user": only shared prefixes fold.
  await expect(node(page, 'topic:orders')).toBeVisible();
  await page.screenshot({ path: `${SCREENS}/map-folded.png` });
  await page.getByTestId('fold-groups').uncheck();
  await page.getByTestId('fold-topics').uncheck();
  await page.getByTestId('fold-menu').locator('summary').click();
  await expect(node(page, 'consumerGroup:email-service')).toBeVisible();

  await page.getByTestId('show-hidden').check();
  await expect(node(page, 'topic:__consumer_offsets')).toBeVisible({ timeout: 20_000 });
  await page.getByTestId('show-hidden').uncheck();
  await expect(node(page, 'topic:__consumer_offsets')).toHaveCount(0);
});

test('the time scrubber shows an earlier moment, and Live returns to now', async ({ page }) => {
  await openMap(page);
  await expect(node(page, 'topic:user.registered')).toBeVisible({ timeout: 60_000 });
  const at = Date.now() - 20_000;
  await page.goto(`${MAP}?at=${at}`);
  await expect(page.getByTestId('topology-map')).toHaveAttribute('data-mode', 'past');
  await expect(page.getByTestId('topology-map')).toHaveAttribute('data-loading', 'false');
  await expect(page.getByTestId('map-mode')).toContainText('Showing');
  await expect(node(page, 'topic:user.registered')).toBeVisible();
  await expect(node(page, 'consumerGroup:email-service')).toBeVisible();
  await page.screenshot({ path: `${SCREENS}/map-past.png` });

  // Stepping back moves the moment and the link follows it.
  await page.getByRole('button', { name: 'Five minutes back' }).click();
  await expect(page).toHaveURL(/at=\d+/);
  await page.getByTestId('live-button').click();
  await expect(page.getByTestId('topology-map')).toHaveAttribute('data-mode', 'live');
  await expect(page.getByTestId('map-mode')).toContainText('Live');
  await expect(page).not.toHaveURL(/at=/);
});

test('export the map as SVG and PNG', async ({ page }) => {
  await openMap(page);
  await expect(node(page, 'topic:user.registered')).toBeVisible({ timeout: 60_000 });
  await page.getByTestId('export-menu').locator('summary').click();
  const [svg] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-svg').click()]);
  expect(svg.suggestedFilename()).toMatch(/^topolog-map-.*\.svg$/);
  const svgText = readFileSync((await svg.path())!, 'utf8');
  expect(svgText).toContain('<svg xmlns="http://www.w3.org/2000/svg"');
  expect(svgText).toContain('>user.registered<');
  const [png] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-png').click()]);
  const bytes = readFileSync((await png.path())!);
  expect(bytes.subarray(1, 4).toString('ascii')).toBe('PNG');
  expect(bytes.length).toBeGreaterThan(5_000);
});

test('dark theme', async ({ page }) => {
  await openMap(page, '', 'dark');
  await expect(node(page, 'topic:user.registered')).toBeVisible({ timeout: 60_000 });
  await page.keyboard.press('f');
  await page.waitForTimeout(800);
  await page.screenshot({ path: `${SCREENS}/map-dark.png` });
});

// Last: it pauses a demo service. Pausing (SIGSTOP) rather than killing keeps the demo runner from restarting it.
test('stopping email-service turns its group red on the map within a few poll cycles', async ({ page }) => {
  test.setTimeout(180_000);
  await openMap(page);
  const group = node(page, 'consumerGroup:email-service');
  await expect(group).toBeVisible({ timeout: 60_000 });
  const pid = (JSON.parse(readFileSync(DEMO_PIDS_FILE, 'utf8')) as Record<string, number>)['email-service'];
  expect(pid).toBeGreaterThan(0);
  process.kill(pid!, 'SIGSTOP');
  try {
    await expect(group).toHaveAttribute('data-health', /warn|critical/, { timeout: 120_000 });
    await expect(group).toHaveAttribute('data-status', /WARN|STALL|STOP/);
    await group.click();
    await expect(page.getByTestId('details-status')).toBeVisible();
    await page.screenshot({ path: `${SCREENS}/map-email-stopped.png` });
  } finally {
    process.kill(pid!, 'SIGCONT');
  }
});
