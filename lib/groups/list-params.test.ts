import { describe, expect, it } from 'vitest';
import type { GroupStatus, GroupSummary } from '../contract';
import { DEFAULT_GROUPS_LIST_PARAMS, groupsListQuery, matchesSearch, matchesStatus, parseGroupsListParams, statusChips } from './list-params';

function group(id: string, status: GroupStatus | null, topics: string[] = []): GroupSummary {
  return { id, type: 'classic', protocolType: 'consumer', state: 'Stable', members: [], topics, status, lagSum: null, lagMax: null, lagSecondsMax: null, etaSeconds: null };
}

describe('groups list address', () => {
  it('parses filters and sort, and falls back to defaults on nonsense', () => {
    expect(parseGroupsListParams({ q: ' mail ', status: 'STALL', topic: 'orders', sort: '-lagSeconds' })).toEqual({ q: 'mail', status: 'stall', topic: 'orders', sort: { key: 'lagSeconds', direction: 'desc' } });
    expect(parseGroupsListParams({ status: 'nope', sort: '-drop table' })).toEqual(DEFAULT_GROUPS_LIST_PARAMS);
    expect(parseGroupsListParams({ q: ['a', 'b'] }).q).toBe('a');
    expect(parseGroupsListParams({ q: 'x'.repeat(5000) }).q).toHaveLength(200);
  });
  it('round-trips, leaving defaults out', () => {
    expect(groupsListQuery(DEFAULT_GROUPS_LIST_PARAMS)).toBe('');
    const params = { q: 'a b', status: 'problems' as const, topic: 'user.registered', sort: { key: 'name' as const, direction: 'asc' as const } };
    const query = groupsListQuery(params);
    expect(query).toBe('?q=a+b&status=problems&topic=user.registered&sort=name');
    expect(parseGroupsListParams(Object.fromEntries(new URLSearchParams(query)))).toEqual(params);
  });
});

describe('groups list filters', () => {
  it('matches names and topics, case-insensitive, and an exact topic', () => {
    const g = group('email-service', 'OK', ['user.registered']);
    expect(matchesSearch(g, 'EMAIL', '')).toBe(true);
    expect(matchesSearch(g, 'registered', '')).toBe(true);
    expect(matchesSearch(g, 'payments', '')).toBe(false);
    expect(matchesSearch(g, '', 'user.registered')).toBe(true);
    expect(matchesSearch(g, '', 'user')).toBe(false);
  });
  it('groups WARN and the broken statuses as problems', () => {
    expect(matchesStatus(group('a', 'WARN'), 'problems')).toBe(true);
    expect(matchesStatus(group('a', 'DATA_LOSS'), 'problems')).toBe(true);
    expect(matchesStatus(group('a', 'NO_COMMIT'), 'problems')).toBe(false);
    expect(matchesStatus(group('a', null), 'problems')).toBe(false);
    expect(matchesStatus(group('a', 'NO_COMMIT'), 'no_commit')).toBe(true);
  });
  it('counts chips: all, problems, each present status, OK always', () => {
    const chips = statusChips([group('a', 'STOP'), group('b', 'STOP'), group('c', 'WARN'), group('d', 'NO_COMMIT'), group('e', null)]);
    expect(chips.map((c) => [c.filter, c.label, c.count])).toEqual([
      ['all', 'All', 5],
      ['problems', 'Problems', 3],
      ['stop', 'STOP', 2],
      ['warn', 'WARN', 1],
      ['no_commit', 'NO COMMIT', 1],
      ['ok', 'OK', 0],
    ]);
  });
});
