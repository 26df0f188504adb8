import { expect, test, type Page } from '@playwright/test';
import { E2E_PORT } from '../playwright.config';
import { createTopic, deleteTopics, eventually, startConsumer, testKafka, uniqueName } from '../server/test/kafka-fixtures';
import { shoot } from './screens';

/*
 * The write journeys in a real browser against the real broker: reset a group's offsets (preview → confirm →
 * result → undo), redrive a Spring dead-letter topic back into its original topic, and find both in the audit log.
 */

const API = `http://127.0.0.1:${E2E_PORT}/api/clusters/default`;
const PER_PARTITION = 10;

test.describe.configure({ mode: 'serial' });

async function getJson<T>(path: string): Promise<T> {
  const res = await fetch(`${API}${path}`);
  if (!res.ok) throw new Error(`${path}: ${res.status} ${await res.text()}`);
  return (await res.json()) as T;
}

/** The group's committed offsets as Kafka holds them, "partition → offset". */
async function committed(group: string, topic: string): Promise<Record<number, number>> {
  const admin = testKafka('e2e-replay-admin').admin();
  await admin.connect();
  try {
    const [t] = await admin.fetchOffsets({ groupId: group, topics: [topic] });
    return Object.fromEntries((t?.partitions ?? []).map((p) => [p.partition, Number(p.offset)]));
  } finally {
    await admin.disconnect();
  }
}

/** Confirms a plan: types the name when the page asks for it, then presses the button. */
async function confirm(page: Page, name: string, button: string) {
  const input = page.getByTestId('confirm-input');
  if (await input.isVisible()) await input.fill(name);
  await page.getByRole('button', { name: button }).click();
}

test.describe('replay', () => {
  const topic = uniqueName('e2e-reset');
  const group = uniqueName('e2e-reset-group');
  const original = uniqueName('e2e-orders');
  const dlq = `${original}.dlq`;
  const DLQ_RECORDS = 7;

  test.beforeAll(async () => {
    await eventually(async () => {
      const health = (await (await fetch(`http://127.0.0.1:${E2E_PORT}/api/health`)).json()) as { clusters: { state: string }[] };
      return health.clusters[0]?.state === 'ok' ? true : undefined;
    }, { what: 'the e2e cluster to be ok', timeoutMs: 60_000 });

    // A group with committed offsets and no members: consume everything, commit, leave.
    await createTopic(topic, 2);
    const kafka = testKafka('e2e-reset-writer');
    const producer = kafka.producer();
    await producer.connect();
    await producer.send({ topic, messages: Array.from({ length: 2 * PER_PARTITION }, (_, n) => ({ partition: n % 2, key: `k${n}`, value: JSON.stringify({ n }) })) });
    const consumer = kafka.consumer({ groupId: group, sessionTimeout: 10_000, heartbeatInterval: 1_000 });
    await consumer.connect();
    await consumer.subscribe({ topic, fromBeginning: true });
    let seen = 0;
    await consumer.run({ eachMessage: async () => void (seen += 1) });
    await eventually(() => (seen >= 2 * PER_PARTITION ? true : undefined), { what: 'the consumer to read every record' });
    await eventually(async () => {
      const c = await committed(group, topic);
      return c[0] === PER_PARTITION && c[1] === PER_PARTITION ? true : undefined;
    }, { what: 'the commits' });
    await consumer.disconnect();

    // A Spring dead-letter topic: records carry the original topic in kafka_dlt-original-topic.
    await createTopic(original, 2);
    await createTopic(dlq, 1);
    await producer.send({
      topic: dlq,
      messages: Array.from({ length: DLQ_RECORDS }, (_, n) => ({
        key: `order-${n}`,
        value: JSON.stringify({ order: n, status: 'FAILED' }),
        headers: { 'kafka_dlt-original-topic': original, 'kafka_dlt-original-partition': String(n % 2), 'kafka_dlt-exception-message': 'timeout calling payments' },
      })),
    });
    await producer.disconnect();
  });
  test.afterAll(async () => {
    await deleteTopics([topic, original, dlq]);
  });

  test('resets a group to earliest from its page, then undoes it', async ({ page }) => {
    test.setTimeout(120_000);
    // The poller lists the group once it has seen its commits.
    await eventually(async () => {
      const d = await getJson<{ partitions: { committed: number | null }[] }>(`/groups/${encodeURIComponent(group)}`);
      return d.partitions.length === 2 && d.partitions.every((p) => p.committed === PER_PARTITION) ? true : undefined;
    }, { what: 'Topolog to see the group', timeoutMs: 30_000 });

    await page.goto(`/clusters/default/groups/${group}`);
    await page.getByRole('link', { name: 'Reset offsets…' }).click();
    await expect(page).toHaveURL(/\/reset$/);
    await expect(page.getByTestId('reset-group')).toHaveText(group);

    await page.getByLabel('Earliest').check();
    await page.getByRole('button', { name: 'Preview' }).click();
    const rows = page.getByTestId('reset-plan-row');
    await expect(rows).toHaveCount(2);
    for (const row of await rows.all()) {
      await expect(row.getByTestId('plan-target')).toHaveText('0');
    }
    await expect(page.getByTestId('total-reprocess')).toHaveText(String(2 * PER_PARTITION));
    await expect(page.getByTestId('total-skip')).toHaveText('0');
    await expect(page.getByTestId('reset-command')).toContainText('kafka-consumer-groups');
    await expect(page.getByTestId('reset-command')).toContainText('--to-earliest');
    await expect(page.getByTestId('reset-blocked')).toHaveCount(0);
    await shoot(page, 'replay-reset-preview', 'replay-reset-preview');

    await confirm(page, group, 'Reset offsets');
    await expect(page.getByTestId('reset-result')).toBeVisible();
    await expect(page.getByTestId('reset-outcome').first()).toHaveAttribute('data-outcome', 'applied');
    await expect(page.getByTestId('reset-result-row').and(page.locator('[data-applied="yes"]'))).toHaveCount(2);
    expect(await committed(group, topic)).toEqual({ 0: 0, 1: 0 });
    await expect(page.getByTestId('reset-history-row')).toHaveCount(1);
    await shoot(page, 'replay-reset-result', 'replay-reset-result');

    // Undo goes through a preview and a confirm too.
    await page.getByTestId('reset-undo').click();
    await expect(page.getByTestId('reset-preview-panel')).toContainText('undo');
    await expect(page.getByTestId('reset-plan-row')).toHaveCount(2);
    for (const row of await page.getByTestId('reset-plan-row').all()) {
      await expect(row.getByTestId('plan-target')).toHaveText(String(PER_PARTITION));
    }
    await confirm(page, group, 'Undo the reset');
    await expect(page.getByTestId('reset-result')).toBeVisible();
    await expect(page.getByTestId('reset-outcome').first()).toHaveAttribute('data-outcome', 'applied');
    expect(await committed(group, topic)).toEqual({ 0: PER_PARTITION, 1: PER_PARTITION });
    // …and Topolog's own API sees the offsets back where they were.
    await eventually(async () => {
      const d = await getJson<{ partitions: { committed: number | null }[] }>(`/groups/${encodeURIComponent(group)}`);
      return d.partitions.every((p) => p.committed === PER_PARTITION) ? true : undefined;
    }, { what: 'the API to show the offsets restored' });
    const history = await getJson<{ resets: { undoOf: string | null; undoneBy: string | null }[] }>(`/groups/${encodeURIComponent(group)}/resets`);
    expect(history.resets).toHaveLength(2);
    expect(history.resets.filter((r) => r.undoOf !== null)).toHaveLength(1);
    await expect(page.getByTestId('reset-history-row')).toHaveCount(2);
  });

  test('redrives a dead-letter topic into its original topic', async ({ page }) => {
    test.setTimeout(120_000);
    await eventually(async () => {
      const r = await getJson<{ deadLetter: { originals: { topic: string }[] } | null }>(`/topics/${encodeURIComponent(dlq)}/dead-letter`);
      return r.deadLetter?.originals[0]?.topic === original ? true : undefined;
    }, { what: 'the DLQ to be recognised', timeoutMs: 30_000 });

    await page.goto(`/clusters/default/topics/${dlq}`);
    const redrive = page.getByRole('link', { name: `Redrive to ${original}` });
    await expect(redrive).toBeVisible();
    await redrive.click();
    await expect(page.getByTestId('replay-title')).toHaveText(`Redrive ${dlq} → ${original}`);
    await expect(page.getByLabel('Target topic')).toHaveValue(original);
    await expect(page.getByLabel('Source topic')).toHaveValue(dlq);
    await expect(page.getByLabel('Partition by key')).toBeChecked();

    await page.getByRole('button', { name: 'Dry run' }).click();
    await expect(page.getByTestId('replay-estimate')).toHaveText(String(DLQ_RECORDS));
    await expect(page.getByTestId('replay-sample-row').first()).toBeVisible();
    await shoot(page, 'replay-redrive', 'replay-redrive');

    await confirm(page, original, 'Start replay');
    await expect(page).toHaveURL(/\/replay\/[^/]+$/);
    await expect(page.getByTestId('job-state')).toHaveAttribute('data-state', 'completed', { timeout: 60_000 });
    await expect(page.getByTestId('job-written')).toHaveText(String(DLQ_RECORDS));
    await expect(page.getByTestId('job-progress')).toHaveAttribute('aria-valuenow', '100');
    await shoot(page, 'replay-job', 'replay-job');

    // The original topic now holds exactly the redriven records.
    const admin = testKafka('e2e-replay-admin').admin();
    await admin.connect();
    try {
      const offsets = await admin.fetchTopicOffsets(original);
      expect(offsets.reduce((sum, p) => sum + Number(p.high), 0)).toBe(DLQ_RECORDS);
    } finally {
      await admin.disconnect();
    }

    await page.getByTestId('view-replay').click();
    await expect(page.getByTestId('replay-job-row').filter({ hasText: `${dlq} → ${original}` })).toHaveCount(1);
  });

  test('refuses a reset while the group has members, and names them', async ({ page }) => {
    test.setTimeout(90_000);
    const busy = uniqueName('e2e-reset-busy');
    const consumer = await startConsumer(busy, topic, 'busy-worker');
    // Dark mode here, so the screens cover both themes.
    await page.addInitScript(() => localStorage.setItem('topolog-theme', 'dark'));
    try {
      await page.goto(`/clusters/default/groups/${busy}/reset`);
      await page.getByRole('button', { name: 'Preview' }).click();
      await expect(page.getByTestId('reset-blocked')).toBeVisible();
      await expect(page.getByTestId('reset-blocked')).toContainText('busy-worker');
      await expect(page.getByRole('button', { name: 'Reset offsets' })).toBeDisabled();
      await shoot(page, 'replay-reset-blocked-dark');
    } finally {
      await consumer.disconnect();
    }
  });

  test('the audit page lists the reset, the undo and the replay', async ({ page }) => {
    await page.goto('/clusters/default');
    await page.getByTestId('view-audit').click();
    await expect(page).toHaveURL(/\/audit$/);
    const rows = page.getByTestId('audit-row');
    await expect(rows.filter({ hasText: group }).and(page.locator('[data-action="reset"]'))).toHaveCount(1);
    await expect(rows.filter({ hasText: group }).and(page.locator('[data-action="undo"]'))).toHaveCount(1);
    await expect(rows.and(page.locator('[data-action="replay.start"]')).filter({ hasText: original }).or(rows.and(page.locator('[data-action="replay.start"]')).filter({ hasText: dlq })).first()).toBeVisible();
    // Details open under the row.
    await rows.filter({ hasText: group }).and(page.locator('[data-action="reset"]')).getByRole('button', { name: /Show/ }).click();
    await expect(page.locator('.audit-details').first()).toContainText('mode');
    await shoot(page, 'audit', 'audit');

    await page.getByLabel('Action').selectOption('undo');
    await expect(rows.first()).toHaveAttribute('data-action', 'undo');
  });
});
