import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { io as connect, type Socket } from 'socket.io-client';
import {
  browseResponseSchema,
  messagesErrorSchema,
  produceResponseSchema,
  recordResponseSchema,
  tailAckSchema,
  tailBatchSchema,
  type BrowseResponse,
  type MessageRecord,
  type TailBatch,
} from '../lib/contract';
import { base64ToBytes, decodeUtf8 } from '../lib/messages/payload';
import type { TopologServer } from './app';
import { createTopic, deleteTopics, eventually, testKafka, uniqueName } from './test/kafka-fixtures';
import { startTestServer } from './test/test-server';

// Recent: records older than the topic's retention (7 days by default) are deleted by the broker mid-test.
const BASE = Math.floor(Date.now() / 1000) * 1000 - 3_600_000;
/** Partition p's i-th record: written at BASE + i s + p × 10 ms, so every timestamp is distinct and known. */
const timeOf = (p: number, i: number) => BASE + i * 1000 + p * 10;
const text = (payload: MessageRecord['value']) => (payload ? decodeUtf8(base64ToBytes(payload.base64)) : null);

describe('messages: browse, filter, export, produce and tail against the real local Kafka', () => {
  let server: TopologServer;
  let url: string;
  const topic = uniqueName('it-msg');
  const big = uniqueName('it-msg-big');
  const hay = uniqueName('it-msg-hay');
  const hostile = uniqueName('it-msg-hostile');
  const tail = uniqueName('it-msg-tail');
  const PER_PARTITION = 40;

  const browse = async (path: string, query: Record<string, string | number>) => {
    const res = await fetch(`${url}/api/clusters/local/topics/${path}/messages?${new URLSearchParams(Object.entries(query).map(([k, v]) => [k, String(v)]))}`);
    return { status: res.status, body: (await res.json()) as unknown };
  };
  const page = async (path: string, query: Record<string, string | number>): Promise<BrowseResponse> => {
    const { status, body } = await browse(path, query);
    if (status !== 200) throw new Error(`browse answered ${status}: ${JSON.stringify(body)}`);
    return browseResponseSchema.parse(body);
  };
  const ids = (records: MessageRecord[]) => records.map((r) => `${r.partition}:${r.offset}`);

  beforeAll(async () => {
    ({ server, url } = await startTestServer());
    await createTopic(topic, 3);
    await createTopic(big, 1, { 'max.message.bytes': String(12 * 1024 * 1024) });
    const producer = testKafka('it-msg-writer').producer();
    await producer.connect();
    try {
      for (let p = 0; p < 3; p++) {
        await producer.send({
          topic,
          messages: Array.from({ length: PER_PARTITION }, (_, i) => ({
            partition: p,
            key: `k-${p}-${i}`,
            value: JSON.stringify({ p, i, status: i % 10 === 3 ? 'FAILED' : 'OK', amount: i * 10 }),
            timestamp: String(timeOf(p, i)),
            headers: { ce_type: i % 2 === 0 ? 'order.created' : 'order.paid' },
          })),
        });
      }
    } finally {
      await producer.disconnect();
    }
    await eventually(async () => ((await fetch(`${url}/api/health`)).status === 200 ? true : undefined), { what: 'the server' });
    await eventually(async () => ((await browse(topic, { limit: 1 })).status === 200 ? true : undefined), { what: 'the cluster to answer' });
  });
  afterAll(async () => {
    await server?.close();
    await deleteTopics([topic, big, hay, hostile, tail]);
  });

  // The whole data set in forward merged order (timestamps are distinct, so the order is the time order).
  const all = () =>
    Array.from({ length: 3 }, (_, p) => Array.from({ length: PER_PARTITION }, (_, i) => ({ p, i, t: timeOf(p, i) })))
      .flat()
      .sort((a, b) => a.t - b.t)
      .map((r) => `${r.p}:${r.i}`);

  it('browses one partition from an offset, pages forward, and turns around with the previous cursor', async () => {
    const first = await page(topic, { partitions: '1', start: 'offset', offset: 10, limit: 5 });
    expect(first.direction).toBe('forward');
    expect(ids(first.records)).toEqual(['1:10', '1:11', '1:12', '1:13', '1:14']);
    expect(first.records[0]).toMatchObject({ timestamp: timeOf(1, 10), timestampType: 'CreateTime' });
    expect(text(first.records[0]!.key)).toBe('k-1-10');
    expect(JSON.parse(text(first.records[0]!.value)!)).toMatchObject({ p: 1, i: 10 });
    expect(first.records[0]!.value!.format).toBe('json');
    expect(first.records[0]!.headers).toEqual([{ key: 'ce_type', value: expect.objectContaining({ format: 'text' }) }]);
    expect(first.scan).toMatchObject({ scanned: expect.any(Number), matched: 5, stopped: 'limit', filterMs: null });

    const second = await page(topic, { cursor: first.next!, limit: 5 });
    expect(ids(second.records)).toEqual(['1:15', '1:16', '1:17', '1:18', '1:19']);
    const back = await page(topic, { cursor: second.previous!, limit: 5 });
    expect(back.direction).toBe('backward');
    expect(ids(back.records)).toEqual(['1:14', '1:13', '1:12', '1:11', '1:10']);
  });

  it('browses every partition from a time: exactly the first records at or after it, in time order', async () => {
    const from = timeOf(0, 20);
    const res = await page(topic, { start: 'time', time: new Date(from).toISOString(), limit: 7 });
    const expected = all().filter((id) => {
      const [p, i] = id.split(':').map(Number);
      return timeOf(p!, i!) >= from;
    });
    expect(ids(res.records)).toEqual(expected.slice(0, 7));
    expect(res.records.every((r) => r.timestamp >= from)).toBe(true);
  });

  it('pages backward from the newest record through the whole topic with no gap and no repeat', async () => {
    const seen: string[] = [];
    let res = await page(topic, { limit: 17 });
    expect(res.direction).toBe('backward');
    expect(res.previous).toBeNull();
    for (;;) {
      seen.push(...ids(res.records));
      if (!res.next) break;
      res = await page(topic, { cursor: res.next, limit: 17 });
    }
    expect(seen).toEqual([...all()].reverse());
    expect(res.scan.stopped).toBe('end');
  });

  it('filters in CEL over value, headers and key, and says where a filter does not compile', async () => {
    const failed = await page(topic, { start: 'oldest', filter: 'value.status == "FAILED" && value.amount > 100 && headers["ce_type"] == "order.paid"', limit: 100 });
    expect(failed.records.map((r) => JSON.parse(text(r.value)!) as { i: number }).every((v) => v.i % 10 === 3 && v.i * 10 > 100)).toBe(true);
    // i = 13, 23, 33 in each of the 3 partitions (odd, so order.paid); i = 3 has amount 30.
    expect(failed.records).toHaveLength(9);
    expect(failed.scan.filterMs).not.toBeNull();
    const byKey = await page(topic, { start: 'oldest', filter: 'key == "k-2-7" || record.keyAsText.endsWith("-0-39")', limit: 10 });
    expect(ids(byKey.records).sort()).toEqual(['0:39', '2:7']);

    const broken = await browse(topic, { filter: 'value.status == ' });
    expect(broken.status).toBe(400);
    const error = messagesErrorSchema.parse(broken.body);
    expect(error.error).toBe('invalid_filter');
    expect(error.filterError?.position).toMatchObject({ line: 1 });
  });

  it('finds the needle among 100,000 records with a CEL filter, reading every record once', async () => {
    await createTopic(hay, 2);
    const producer = testKafka('it-msg-hay').producer();
    await producer.connect();
    const NEEDLE = 73_219;
    for (let start = 0; start < 100_000; start += 10_000) {
      await producer.send({ topic: hay, messages: Array.from({ length: 10_000 }, (_, j) => ({ partition: (start + j) % 2, value: JSON.stringify({ id: start + j, kind: start + j === NEEDLE ? 'needle' : 'hay' }) })) });
    }
    await producer.disconnect();
    const found = await page(hay, { start: 'oldest', filter: 'value.kind == "needle"', limit: 10 });
    expect(found.records).toHaveLength(1);
    expect(JSON.parse(text(found.records[0]!.value)!)).toEqual({ id: NEEDLE, kind: 'needle' });
    expect(found.records[0]).toMatchObject({ partition: NEEDLE % 2, offset: Math.floor(NEEDLE / 2) });
    expect(found.scan).toMatchObject({ scanned: 100_000, matched: 1, stopped: 'end' });
    expect(found.next).toBeNull();
  });

  it('rejects hostile filters up front and stops a runaway one within its budget while the server keeps serving', async () => {
    const deep = await browse(topic, { filter: `${'('.repeat(200)}true${')'.repeat(200)}` });
    expect(deep.status).toBe(400);
    const huge = await browse(topic, { filter: Array.from({ length: 600 }, (_, i) => `value.i == ${i}`).join(' || ') });
    expect(huge.status).toBe(400);
    expect(messagesErrorSchema.parse(huge.body).filterError?.message).toMatch(/long|nodes|characters/i);

    // A catastrophic regex for a backtracking engine is linear in RE2.
    const regex = await page(topic, { start: 'oldest', filter: "valueText.matches('^(a+)+$') || keyText.matches('(x+x+)+y')", limit: 10 });
    expect(regex.records).toHaveLength(0);
    expect(regex.scan.stopped).toBe('end');

    // Two nested comprehensions over a 3,000-element array (9 million steps): far beyond the per-record budget.
    await createTopic(hostile, 1);
    const producer = testKafka('it-msg-hostile').producer();
    await producer.connect();
    await producer.send({ topic: hostile, messages: [{ value: JSON.stringify(Array.from({ length: 3000 }, (_, i) => i)) }] });
    await producer.disconnect();
    const runaway = browse(hostile, { start: 'oldest', filter: 'value.all(a, value.all(b, a + b != -1))' });
    // The server answers other requests while the filter runs in its worker.
    const health = await fetch(`${url}/api/health`);
    expect(health.status).toBe(200);
    const stopped = await runaway;
    expect(stopped.status).toBe(422);
    expect(messagesErrorSchema.parse(stopped.body).message).toMatch(/partition 0 offset 0/);
    // And the pool still serves the next filter.
    const after = await page(topic, { partitions: '0', start: 'oldest', filter: 'value.i == 5', limit: 5 });
    expect(ids(after.records)).toEqual(['0:5']);
  });

  it('shows a 10 MB value truncated, with the full value capped and the raw bytes downloadable; binary keys stay binary', async () => {
    const value = Buffer.alloc(10 * 1024 * 1024, 'x');
    const key = Buffer.from([0x00, 0xff, 0xfe, 0x80, 0x01]);
    const producer = testKafka('it-msg-big').producer();
    await producer.connect();
    await producer.send({ topic: big, messages: [{ key, value }, { key: Buffer.from([0xc3, 0x28]), value: Buffer.from('<script>alert(1)</script>') }] });
    await producer.disconnect();
    const res = await page(big, { start: 'oldest', limit: 10 });
    expect(res.records).toHaveLength(2);
    const [huge, script] = res.records;
    expect(huge!.value).toMatchObject({ size: value.length, truncated: true, format: 'text' });
    expect(base64ToBytes(huge!.value!.base64).length).toBeLessThanOrEqual(16 * 1024);
    expect(huge!.key).toMatchObject({ format: 'binary', size: 5, truncated: false });
    expect([...base64ToBytes(huge!.key!.base64)]).toEqual([...key]);
    expect(script!.key!.format).toBe('binary');
    expect(text(script!.value)).toBe('<script>alert(1)</script>');

    const one = recordResponseSchema.parse(await (await fetch(`${url}/api/clusters/local/topics/${big}/messages/0/0`)).json());
    expect(one.record.value).toMatchObject({ size: value.length, truncated: true });
    expect(base64ToBytes(one.record.value!.base64).length).toBe(1024 * 1024);
    const raw = await fetch(`${url}/api/clusters/local/topics/${big}/messages/0/0/raw?part=value`);
    expect(raw.headers.get('content-type')).toBe('application/octet-stream');
    expect((await raw.arrayBuffer()).byteLength).toBe(value.length);
    const missing = await fetch(`${url}/api/clusters/local/topics/${big}/messages/0/99`);
    expect(missing.status).toBe(404);
  });

  it('exports a range as JSONL and as CSV with formula cells escaped', async () => {
    const jsonl = await (await fetch(`${url}/api/clusters/local/topics/${topic}/messages/export?format=jsonl&start=oldest&partitions=0&max=25`)).text();
    const lines = jsonl.trim().split('\n').map((l) => JSON.parse(l) as { offset: number; valueEncoding: string; value: { i: number } });
    expect(lines.map((l) => l.offset)).toEqual(Array.from({ length: 25 }, (_, i) => i));
    expect(lines[3]).toMatchObject({ valueEncoding: 'json', value: { i: 3 } });

    const written = await fetch(`${url}/api/clusters/local/topics/${topic}/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ partition: 2, key: '=HYPERLINK("http://evil")', value: '@SUM(A1:A2)', headers: [{ key: 'x-origin', value: '+1' }] }),
    });
    expect(written.status).toBe(200);
    const at = produceResponseSchema.parse(await written.json());
    expect(at).toMatchObject({ topic, partition: 2, offset: PER_PARTITION });
    const csv = await (await fetch(`${url}/api/clusters/local/topics/${topic}/messages/export?format=csv&start=offset&offset=${at.offset}&partitions=2`)).text();
    const [header, row] = csv.split('\r\n');
    expect(header).toBe('partition,offset,timestamp,timestampType,key,keyEncoding,value,valueEncoding,headers');
    expect(row).toContain(`"'=HYPERLINK(""http://evil"")"`);
    expect(row).toContain(`'@SUM(A1:A2)`);
    expect(row).not.toMatch(/,=|,@|,\+/);
  });

  it('produces with partition, key, headers and encodings, refuses bad input, and refuses a read-only cluster', async () => {
    const post = (cluster: string, body: unknown) =>
      fetch(`${url}/api/clusters/${cluster}/topics/${topic}/messages`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    const res = await post('local', { partition: 0, key: 'AP8=', keyEncoding: 'base64', value: '{"hello": "world"}', valueEncoding: 'json', headers: [{ key: 'trace', value: 'abc' }] });
    const at = produceResponseSchema.parse(await res.json());
    const back = await page(topic, { partitions: '0', start: 'offset', offset: at.offset, limit: 1 });
    expect(back.records[0]!.key).toMatchObject({ format: 'binary', size: 2 });
    expect(JSON.parse(text(back.records[0]!.value)!)).toEqual({ hello: 'world' });
    expect(text(back.records[0]!.headers[0]!.value)).toBe('abc');

    expect((await post('local', { value: '{not json', valueEncoding: 'json' })).status).toBe(400);
    expect((await post('local', { value: 'x', partition: 9 })).status).toBe(400);
    const frozen = await post('frozen', { value: 'x' });
    expect(frozen.status).toBe(403);
    expect(messagesErrorSchema.parse(await frozen.json()).error).toBe('read_only');
    const unknown = await fetch(`${url}/api/clusters/local/topics/no-such-topic-${Date.now()}/messages`);
    expect(unknown.status).toBe(404);
  });

  it('tails new records in order over socket.io with a filter, and never joins or creates a consumer group', async () => {
    await createTopic(tail, 2);
    const admin = testKafka('it-msg-admin').admin();
    await admin.connect();
    const groupsBefore = new Set((await admin.listGroups()).groups.map((g) => g.groupId));
    const socket: Socket = connect(url, { transports: ['websocket'] });
    const batches: TailBatch[] = [];
    socket.on('messages:tail:batch', (raw: unknown, ack: () => void) => {
      batches.push(tailBatchSchema.parse(raw));
      ack();
    });
    try {
      const ack = tailAckSchema.parse(await socket.timeout(10_000).emitWithAck('messages:tail', { cluster: 'local', topic: tail, filter: 'value.n % 2 == 0' }));
      expect(ack.ok).toBe(true);
      const producer = testKafka('it-msg-tailer').producer();
      await producer.connect();
      for (let n = 0; n < 60; n += 10) {
        await producer.send({ topic: tail, messages: Array.from({ length: 10 }, (_, j) => ({ partition: (n + j) % 2, value: JSON.stringify({ n: n + j }) })) });
      }
      await producer.disconnect();
      const got = await eventually(() => {
        const records = batches.flatMap((b) => b.records);
        return records.length >= 30 ? records : undefined;
      }, { what: '30 tailed records' });
      const values = got.map((r) => (JSON.parse(text(r.value)!) as { n: number }).n);
      expect(values).toHaveLength(30);
      expect(values.every((n) => n % 2 === 0)).toBe(true);
      for (const p of [0, 1]) {
        const offsets = got.filter((r) => r.partition === p).map((r) => r.offset);
        expect(offsets).toEqual([...offsets].sort((a, b) => a - b));
      }
      expect(batches.every((b) => b.skipped === 0 && b.ended === null)).toBe(true);
      const groupsAfter = (await admin.listGroups()).groups.map((g) => g.groupId).filter((g) => !groupsBefore.has(g));
      expect(groupsAfter).toEqual([]);
      socket.emit('messages:tail:stop', { tailId: ack.ok ? ack.tailId : '' });
    } finally {
      socket.disconnect();
      await admin.disconnect();
    }
  });

  it('holds back batches until the browser acknowledges, and counts what it had to drop instead of growing', async () => {
    const slow = uniqueName('it-msg-slow');
    await createTopic(slow, 1);
    const socket: Socket = connect(url, { transports: ['websocket'] });
    const batches: TailBatch[] = [];
    let release: (() => void) | null = null;
    const held = new Promise<void>((resolve) => (release = resolve));
    socket.on('messages:tail:batch', (raw: unknown, ack: () => void) => {
      batches.push(tailBatchSchema.parse(raw));
      // The first batch is acknowledged only when the test says so: a browser that has fallen behind.
      if (batches.length === 1) void held.then(ack);
      else ack();
    });
    try {
      const ack = tailAckSchema.parse(await socket.timeout(10_000).emitWithAck('messages:tail', { cluster: 'local', topic: slow }));
      expect(ack.ok).toBe(true);
      const producer = testKafka('it-msg-flood').producer();
      await producer.connect();
      await producer.send({ topic: slow, messages: [{ value: 'first' }] });
      await eventually(() => (batches.length === 1 ? true : undefined), { what: 'the first batch' });
      await producer.send({ topic: slow, messages: Array.from({ length: 3000 }, (_, i) => ({ value: `n${i}` })) });
      await producer.disconnect();
      // Nothing more is sent while the first batch waits for its ack, however much arrives.
      await new Promise((r) => setTimeout(r, 1500));
      expect(batches).toHaveLength(1);
      release!();
      const total = await eventually(() => {
        const n = batches.reduce((sum, b) => sum + b.records.length + b.skipped, 0);
        return n >= 3001 ? n : undefined;
      }, { what: 'every record delivered or counted as skipped' });
      expect(total).toBe(3001);
      const skipped = batches.reduce((sum, b) => sum + b.skipped, 0);
      expect(skipped).toBe(3000 - 1000);
      // What was kept is the newest, in order.
      const kept = batches.slice(1).flatMap((b) => b.records.map((r) => r.offset));
      expect(kept).toEqual(Array.from({ length: 1000 }, (_, i) => 2001 + i));
    } finally {
      socket.disconnect();
      await deleteTopics([slow]);
    }
  });
});
