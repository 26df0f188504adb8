import { describe, expect, it } from 'vitest';
import type { ResetRecord } from '../../lib/contract';
import { ResetError, describeMembers, expandScope, membersBlock, offsetsCsv, outcomeOf, partitionError, scopeTopics, undoOf } from './reset-support';

const topics = [
  { topic: 'orders', exists: true, partitions: [0, 1, 2] },
  { topic: 'payments', exists: true, partitions: [0] },
  { topic: 'ghost', exists: false, partitions: [] },
];
const committed = [
  { topic: 'payments', partition: 0, offset: 5 },
  { topic: 'orders', partition: 2, offset: 9 },
  { topic: 'orders', partition: 0, offset: null },
];

describe('reset scope', () => {
  it('whole group: the committed partitions only, like --all-topics', () => {
    expect(scopeTopics([], committed)).toEqual(['orders', 'payments']);
    expect(expandScope('g', [], committed, topics)).toEqual([
      { topic: 'orders', partition: 2 },
      { topic: 'payments', partition: 0 },
    ]);
  });

  it('a topic without partitions means all of them; listed partitions are deduplicated', () => {
    expect(expandScope('g', [{ topic: 'orders', partitions: null }], [], topics).map((p) => p.partition)).toEqual([0, 1, 2]);
    expect(expandScope('g', [{ topic: 'orders', partitions: [2, 2, 1] }], [], topics)).toEqual([
      { topic: 'orders', partition: 1 },
      { topic: 'orders', partition: 2 },
    ]);
  });

  it('refuses unknown topics and partitions by name, and an empty whole-group scope', () => {
    expect(() => expandScope('g', [{ topic: 'ghost', partitions: null }], [], topics)).toThrow(/No topic "ghost"/);
    expect(() => expandScope('g', [{ topic: 'nope', partitions: null }], [], topics)).toThrow(ResetError);
    expect(() => expandScope('g', [{ topic: 'orders', partitions: [7] }], [], topics)).toThrow(/no partition 7.*0 to 2/s);
    try {
      expandScope('g', [], [], topics);
      expect.unreachable();
    } catch (err) {
      expect(err).toMatchObject({ status: 400, code: 'nothing_to_reset' });
    }
  });
});

describe('members, outcomes, csv', () => {
  const members = [
    { memberId: 'm1', clientId: 'email-service', host: '/10.0.0.1', protocol: 'classic' as const },
    { memberId: 'm2', clientId: '', host: '10.0.0.2', protocol: 'consumer' as const },
  ];
  it('names each member and what to do', () => {
    expect(describeMembers(members)).toBe('email-service on 10.0.0.1 (classic), m2 on 10.0.0.2 (KIP-848)');
    const block = membersBlock('g', members);
    expect(block.reason).toContain('2 live members');
    expect(block.hint).toMatch(/Stop these consumers first/);
  });

  it('classifies outcomes and per-partition errors', () => {
    const ok = { topic: 't', partition: 0, target: 1, previous: 0, after: 1, error: null };
    const bad = { ...ok, partition: 1, error: 'GROUP_NOT_EMPTY' };
    expect(outcomeOf([ok])).toBe('applied');
    expect(outcomeOf([ok, bad])).toBe('partial');
    expect(outcomeOf([bad])).toBe('failed');
    expect(outcomeOf([])).toBe('failed');
    expect(partitionError(5, 5, null)).toBeNull();
    expect(partitionError(5, 4, null)).toBe('read back 4');
    expect(partitionError(5, null, null)).toBe('read back no committed offset');
    expect(partitionError(5, 3, 'UNKNOWN_MEMBER_ID')).toBe('UNKNOWN_MEMBER_ID');
  });

  it('writes --from-file rows', () => {
    expect(offsetsCsv([{ topic: 'a', partition: 0, target: 3 }, { topic: 'a', partition: 1, target: 4 }])).toBe('a,0,3\na,1,4\n');
    expect(offsetsCsv([])).toBe('');
  });
});

describe('undo', () => {
  it('puts back the previous offsets of applied partitions and explains those that had none', () => {
    const record = {
      id: 'r1',
      partitions: [
        { topic: 't', partition: 0, target: 0, previous: 10, after: 0, error: null },
        { topic: 't', partition: 1, target: 0, previous: null, after: 0, error: null },
        { topic: 't', partition: 2, target: 0, previous: 4, after: 4, error: 'GROUP_NOT_EMPTY' },
      ],
    } as unknown as ResetRecord;
    const undo = undoOf(record);
    expect(undo.offsets).toEqual([{ topic: 't', partition: 0, offset: 10 }]);
    expect(undo.scope).toEqual([{ topic: 't', partitions: [0, 1] }]);
    expect(undo.reasons.get('t\u00001')).toMatch(/no committed offset before reset r1.*stays at 0/);
  });
});
