import { describe, expect, it } from 'vitest';
import { buildReplayRequest, INITIAL_REPLAY_FORM, parsePartitionList, redrivePreset, type ReplayFormState } from './replay-form';

const form = (over: Partial<ReplayFormState>): ReplayFormState => ({ ...INITIAL_REPLAY_FORM, sourceTopic: 'orders.dlq', targetTopic: 'orders', ...over });
const parseLocal = (v: string) => (v === 't1' ? 1000 : v === 't2' ? 2000 : null);

describe('redrive preset', () => {
  it('targets the most frequent original, by key, keeping key and headers; no filter with one original', () => {
    const p = redrivePreset({ topic: 'orders.dlq', evidence: ['name'], originals: [{ topic: 'orders', count: 5 }], originHeader: 'kafka_dlt-original-topic' });
    expect(p).toMatchObject({ sourceTopic: 'orders.dlq', targetTopic: 'orders', filter: '', partitioning: 'key', keepKey: true, keepHeaders: true, label: 'Redrive orders.dlq → orders' });
  });
  it('filters on the origin header when the DLQ holds records of several topics', () => {
    const p = redrivePreset({ topic: 'x.dlq', evidence: ['headers'], originals: [{ topic: 'a"b', count: 5 }, { topic: 'c', count: 1 }], originHeader: 'kafka_dlt-original-topic' });
    expect(p.filter).toBe('"kafka_dlt-original-topic" in headers && headers["kafka_dlt-original-topic"] == "a\\"b"');
  });
  it('labels a DLQ without a known original honestly', () => {
    expect(redrivePreset({ topic: 'x.dlq', evidence: ['name'], originals: [], originHeader: null })).toMatchObject({ targetTopic: '', label: 'Redrive x.dlq' });
  });
});

describe('replay request', () => {
  it('copies everything by default', () => {
    const r = buildReplayRequest(form({}), 'c', 3, parseLocal);
    expect(r).toEqual({ ok: true, value: { source: { cluster: 'c', topic: 'orders.dlq', partitions: null, range: { by: 'offsets', from: null, to: null } }, filter: null, target: { cluster: 'c', topic: 'orders' }, partitioning: 'same', keep: { key: true, headers: true, timestamp: false }, rateLimit: null, maxRecords: null, allowSameTopic: false, allowCompactedTarget: false } });
  });
  it('spreads one offset range over the chosen or all partitions', () => {
    expect(buildReplayRequest(form({ range: 'offsets', fromOffset: '10' }), 'c', 2, parseLocal)).toMatchObject({ ok: true, value: { source: { range: { by: 'offsets', from: { '0': 10, '1': 10 }, to: null } } } });
    expect(buildReplayRequest(form({ range: 'offsets', partitions: '2', fromOffset: '1', toOffset: '5' }), 'c', 3, parseLocal)).toMatchObject({ ok: true, value: { source: { partitions: [2], range: { from: { '2': 1 }, to: { '2': 5 } } } } });
    expect(buildReplayRequest(form({ range: 'offsets', fromOffset: '5', toOffset: '5' }), 'c', 3, parseLocal)).toMatchObject({ ok: false });
  });
  it('reads times, and refuses a reversed range', () => {
    expect(buildReplayRequest(form({ range: 'time', fromTime: 't1', toTime: 't2' }), 'c', 1, parseLocal)).toMatchObject({ ok: true, value: { source: { range: { by: 'time', from: 1000, to: 2000 } } } });
    expect(buildReplayRequest(form({ range: 'time', fromTime: 't2', toTime: 't1' }), 'c', 1, parseLocal)).toMatchObject({ ok: false });
  });
  it('checks limits and topics', () => {
    expect(buildReplayRequest(form({ rateLimit: '0' }), 'c', 1, parseLocal)).toMatchObject({ ok: false });
    expect(buildReplayRequest(form({ rateLimit: '500', maxRecords: '10', filter: ' x ' }), 'c', 1, parseLocal)).toMatchObject({ ok: true, value: { rateLimit: 500, maxRecords: 10, filter: 'x' } });
    expect(buildReplayRequest(form({ targetTopic: ' ' }), 'c', 1, parseLocal)).toMatchObject({ ok: false });
    expect(parsePartitionList('1, 0 1')).toEqual({ ok: true, value: [0, 1] });
    expect(parsePartitionList('a')).toMatchObject({ ok: false });
  });
});
