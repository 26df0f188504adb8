import { expect, test, type Page } from '@playwright/test';
import { E2E_PORT } from '../playwright.config';
import { createTopic, deleteTopics, eventually, testKafka, uniqueName } from '../server/test/kafka-fixtures';
import { shoot } from './screens';

const XSS_VALUE = '<script>window.__xss = 1</script>';
const XSS_HEADER = '<img src=x onerror="window.__xss = 2">';
const XSS_TOPIC = '<img src=x onerror=window.__xss=3>';

const injected = (page: Page) => page.evaluate(() => (window as unknown as { __xss?: number }).__xss ?? null);

test.describe.configure({ mode: 'serial' });

test.describe('messages', () => {
  const topic = uniqueName('e2e-msg');

  test.beforeAll(async () => {
    await createTopic(topic, 2);
    const producer = testKafka('e2e-msg-writer').producer();
    await producer.connect();
    await producer.send({
      topic,
      messages: [
        ...Array.from({ length: 20 }, (_, n) => ({ partition: n % 2, key: `order-${n}`, value: JSON.stringify({ n, status: n % 5 === 0 ? 'FAILED' : 'OK' }), headers: { ce_type: 'order.created' } })),
        { partition: 0, key: '<b>bold-key</b>', value: XSS_VALUE, headers: { [XSS_HEADER]: XSS_VALUE } },
      ],
    });
    await producer.disconnect();
    // The server may still be connecting when this file runs first.
    await eventually(async () => {
      const health = (await (await fetch(`http://127.0.0.1:${E2E_PORT}/api/health`)).json()) as { clusters: { state: string }[] };
      return health.clusters[0]?.state === 'ok' ? true : undefined;
    }, { what: 'the e2e cluster to be ok', timeoutMs: 60_000 });
  });
  test.afterAll(async () => {
    await deleteTopics([topic]);
  });

  test('shows hostile values, header names and topic names as text', async ({ page }) => {
    await page.goto(`/clusters/default/topics/${topic}/messages`);
    await expect(page.getByTestId('record-row')).toHaveCount(21);
    const hostile = page.getByTestId('record-row').filter({ hasText: '<b>bold-key</b>' });
    await expect(hostile).toContainText(XSS_VALUE);
    await hostile.click();
    const details = page.getByTestId('record-details');
    await expect(details).toContainText(XSS_HEADER);
    await expect(page.locator('script', { hasText: 'window.__xss' })).toHaveCount(0);
    await expect(page.locator('b', { hasText: 'bold-key' })).toHaveCount(0);
    expect(await injected(page)).toBeNull();
    await shoot(page, 'messages-hostile');

    // Kafka topic names cannot hold HTML, but an address can: the unknown-topic answer shows it as text.
    await page.goto(`/clusters/default/topics/${encodeURIComponent(XSS_TOPIC)}/messages`);
    await expect(page.getByTestId('messages-error')).toContainText('No topic');
    await expect(page.getByTestId('messages-page')).toContainText(XSS_TOPIC);
    await expect(page.locator('img[src="x"]')).toHaveCount(0);
    expect(await injected(page)).toBeNull();
  });

  test('browses from an offset, filters in CEL, and points at a filter error', async ({ page }) => {
    await page.goto(`/clusters/default/topics/${topic}/messages?start=offset&offset=2&partitions=1&limit=25`);
    // Partition 1 holds n = 1, 3, 5, …, 19 at offsets 0–9: from offset 2, n = 5 onwards, oldest first.
    const rows = page.getByTestId('record-row');
    await expect(rows).toHaveCount(8);
    await expect(rows.first()).toHaveAttribute('data-offset', '2');
    await expect(rows.first()).toHaveAttribute('data-partition', '1');
    await expect(page.getByTestId('messages-summary')).toContainText('8 records');

    await page.goto(`/clusters/default/topics/${topic}/messages`);
    await expect(rows).toHaveCount(21);
    await page.getByTestId('messages-filter').fill('value.status == "FAILED" && value.n > 0');
    await page.getByTestId('messages-apply').click();
    // n = 5, 10, 15.
    await expect(rows).toHaveCount(3);
    await expect(page.getByTestId('messages-summary')).toContainText('3 records');
    await expect(page).toHaveURL(/filter=/);
    await shoot(page, 'messages-filtered', 'messages');

    await page.getByTestId('messages-filter').fill('value.status == ');
    await page.getByTestId('messages-apply').click();
    const error = page.getByTestId('messages-filter-error');
    await expect(error).toBeVisible();
    await expect(error).toContainText('column');
    await shoot(page, 'messages-filter-error');
  });

  test('tails new records live, and produces one from the dialog', async ({ page }) => {
    await page.goto(`/clusters/default/topics/${topic}/messages`);
    await page.getByTestId('messages-filter').fill('value.n >= 100');
    await page.getByTestId('messages-apply').click();
    await page.getByTestId('messages-tail-toggle').check();
    await expect(page.getByTestId('messages-tail-status')).toHaveAttribute('data-status', 'live');
    const producer = testKafka('e2e-msg-tail').producer();
    await producer.connect();
    await producer.send({ topic, messages: [1, 100, 2, 101, 102].map((n) => ({ partition: 0, value: JSON.stringify({ n }) })) });
    await producer.disconnect();
    const rows = page.getByTestId('record-row');
    await expect(rows).toHaveCount(3);
    // Newest first: 102 on top.
    await expect(rows.first()).toContainText('"n":102');
    await shoot(page, 'messages-tail', 'messages-tail');

    await page.getByTestId('messages-tail-toggle').uncheck();
    await page.getByTestId('messages-produce-open').click();
    const dialog = page.getByTestId('produce-dialog');
    await expect(dialog).toBeVisible();
    await page.getByTestId('produce-partition').fill('1');
    await page.getByTestId('produce-key').fill('manual-1');
    await page.getByTestId('produce-value-encoding').selectOption('json');
    await page.getByTestId('produce-value').fill('{"n": 500, "status": "MANUAL"}');
    await page.getByTestId('produce-send').click();
    await expect(page.getByTestId('produce-result')).toContainText('partition 1 at offset 10');
    await shoot(page, 'messages-produce');
  });
});
