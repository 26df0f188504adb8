import { describe, expect, it } from 'vitest';
import { agoToTimestamp, buildResetRequest, buildResetScope, describeResetScope, describeResetSpec, INITIAL_RESET_FORM, parsePartitionKey, parseWholeNumber, partitionsByTopic, type ResetFormState } from './reset-form';

const NOW = 1_700_000_000_000;
const parseLocal = (v: string) => (v === 'good' ? NOW - 1000 : v === 'future' ? NOW + 1000 : null);
const form = (over: Partial<ResetFormState>): ResetFormState => ({ ...INITIAL_RESET_FORM, ...over });

describe('reset form', () => {
  it('turns "N units ago" into a time before now', () => {
    expect(agoToTimestamp('2', 'hours', NOW)).toBe(NOW - 2 * 3_600_000);
    expect(agoToTimestamp('90', 'minutes', NOW)).toBe(NOW - 90 * 60_000);
    expect(agoToTimestamp('0', 'minutes', NOW)).toBeNull();
    expect(agoToTimestamp('x', 'days', NOW)).toBeNull();
  });

  it('builds each mode, and says what is missing', () => {
    expect(buildResetRequest(form({ mode: 'earliest' }), NOW, parseLocal)).toEqual({ ok: true, value: { spec: { mode: 'earliest' }, scope: [] } });
    expect(buildResetRequest(form({ mode: 'time', time: 'ago', agoAmount: '15', agoUnit: 'minutes' }), NOW, parseLocal)).toMatchObject({ ok: true, value: { spec: { mode: 'timestamp', timestamp: NOW - 900_000 } } });
    expect(buildResetRequest(form({ mode: 'time', time: 'at', datetime: 'good' }), NOW, parseLocal)).toMatchObject({ ok: true, value: { spec: { timestamp: NOW - 1000 } } });
    expect(buildResetRequest(form({ mode: 'time', time: 'at', datetime: 'future' }), NOW, parseLocal)).toMatchObject({ ok: false });
    expect(buildResetRequest(form({ mode: 'time', time: 'at', datetime: '' }), NOW, parseLocal)).toMatchObject({ ok: false });
    expect(buildResetRequest(form({ mode: 'offset', offset: '1,200' }), NOW, parseLocal)).toMatchObject({ ok: true, value: { spec: { mode: 'offset', offset: 1200 } } });
    expect(buildResetRequest(form({ mode: 'offset', offset: '-1' }), NOW, parseLocal)).toMatchObject({ ok: false });
    expect(buildResetRequest(form({ mode: 'shift', shift: '-100' }), NOW, parseLocal)).toMatchObject({ ok: true, value: { spec: { mode: 'shift', by: -100 } } });
    expect(buildResetRequest(form({ mode: 'shift', shift: '0' }), NOW, parseLocal)).toMatchObject({ ok: false });
    expect(buildResetRequest(form({ mode: 'copy', copyGroup: ' other ' }), NOW, parseLocal)).toMatchObject({ ok: true, value: { spec: { mode: 'copy', group: 'other' } } });
    expect(buildResetRequest(form({ mode: 'copy' }), NOW, parseLocal)).toMatchObject({ ok: false });
  });

  it('builds the scope: whole group, topics, partitions grouped by topic', () => {
    expect(buildResetScope(form({ scope: 'topics', topics: ['b', 'a'] }))).toEqual({ ok: true, value: [{ topic: 'a', partitions: null }, { topic: 'b', partitions: null }] });
    expect(buildResetScope(form({ scope: 'topics' }))).toMatchObject({ ok: false });
    expect(buildResetScope(form({ scope: 'partitions', partitions: ['b:1', 'a:c:2', 'b:0', 'b:1'] }))).toEqual({ ok: true, value: [{ topic: 'a:c', partitions: [2] }, { topic: 'b', partitions: [0, 1] }] });
    expect(buildResetScope(form({ scope: 'partitions' }))).toMatchObject({ ok: false });
  });

  it('parses numbers and keys strictly', () => {
    expect(parseWholeNumber('12_000')).toBe(12000);
    expect(parseWholeNumber('-5')).toBeNull();
    expect(parseWholeNumber('-5', true)).toBe(-5);
    expect(parseWholeNumber('1.5')).toBeNull();
    expect(parsePartitionKey('x:y:3')).toEqual({ topic: 'x:y', partition: 3 });
    expect(parsePartitionKey('x')).toBeNull();
  });

  it('lists partitions by topic and describes specs and scopes', () => {
    expect([...partitionsByTopic([{ topic: 'b', partition: 1 }, { topic: 'a', partition: 2 }, { topic: 'b', partition: 0 }])]).toEqual([['a', [2]], ['b', [0, 1]]]);
    expect(describeResetSpec({ mode: 'shift', by: -100 }, String)).toBe('shift by −100');
    expect(describeResetSpec({ mode: 'timestamp', timestamp: 5 }, (t) => `T${t}`)).toBe('to time T5');
    expect(describeResetScope([])).toBe('whole group');
    expect(describeResetScope([{ topic: 'a', partitions: [0, 2] }, { topic: 'b', partitions: null }])).toBe('a [0, 2], b');
  });
});
