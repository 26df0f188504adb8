import { describe, expect, it } from 'vitest';
import type { GroupStatus, GroupSummary } from '../contract';
import { sortGroups, statusRank } from './sort-groups';

function group(id: string, status: GroupStatus | null, lagSecondsMax: number | null = null, lagSum: number | null = null, members = 1): GroupSummary {
  return { id, type: 'classic', protocolType: 'consumer', state: 'Stable', members: Array.from({ length: members }, (_, i) => ({ memberId: `m${i}`, clientId: 'c', host: 'h', topics: [], assignments: [] })), topics: [], status, lagSum, lagMax: lagSum, lagSecondsMax, etaSeconds: null };
}

const ids = (groups: GroupSummary[]) => groups.map((g) => g.id);

describe('sortGroups, problems first (the default)', () => {
  it('orders broken, then WARN, then NO_COMMIT, then EVALUATING, then OK', () => {
    const groups = [group('ok', 'OK'), group('eval', 'EVALUATING'), group('nocommit', 'NO_COMMIT'), group('warn', 'WARN'), group('stall', 'STALL'), group('unknown', null)];
    expect(ids(sortGroups(groups))).toEqual(['stall', 'warn', 'nocommit', 'eval', 'unknown', 'ok']);
  });

  it('treats STOP, STALL, DATA_LOSS and REWIND as equally urgent and puts the one furthest behind in time first', () => {
    const groups = [group('stop', 'STOP', 30), group('rewind', 'REWIND', 5), group('loss', 'DATA_LOSS', 3_600), group('stall', 'STALL', 600)];
    expect(ids(sortGroups(groups))).toEqual(['loss', 'stall', 'stop', 'rewind']);
    expect(new Set(['STOP', 'STALL', 'DATA_LOSS', 'REWIND'].map((s) => statusRank(s as GroupStatus)))).toEqual(new Set([0]));
  });

  it('breaks ties on lag seconds with lag in messages, unknown last, then name', () => {
    const groups = [group('b', 'WARN', null, null), group('a', 'WARN', null, null), group('big', 'WARN', null, 500), group('slow', 'WARN', 10, 1)];
    expect(ids(sortGroups(groups))).toEqual(['slow', 'big', 'a', 'b']);
  });

  it('does not change its input', () => {
    const groups = [group('ok', 'OK'), group('stop', 'STOP')];
    sortGroups(groups);
    expect(ids(groups)).toEqual(['ok', 'stop']);
  });
});

describe('sortGroups by a column', () => {
  const groups = [group('a', 'OK', 1, 100, 3), group('b', 'STOP', null, null, 1), group('c', 'OK', 50, 10, 2)];
  it('sorts numbers both ways with unknown values last either way', () => {
    expect(ids(sortGroups(groups, { key: 'lag', direction: 'desc' }))).toEqual(['a', 'c', 'b']);
    expect(ids(sortGroups(groups, { key: 'lag', direction: 'asc' }))).toEqual(['c', 'a', 'b']);
    expect(ids(sortGroups(groups, { key: 'lagSeconds', direction: 'desc' }))).toEqual(['c', 'a', 'b']);
    expect(ids(sortGroups(groups, { key: 'members', direction: 'asc' }))).toEqual(['b', 'c', 'a']);
  });
  it('sorts by name', () => {
    expect(ids(sortGroups(groups, { key: 'name', direction: 'desc' }))).toEqual(['c', 'b', 'a']);
  });
  it('reverses problems-first on request', () => {
    expect(ids(sortGroups(groups, { key: 'problems', direction: 'desc' }))).toEqual(['a', 'c', 'b']);
  });
});
