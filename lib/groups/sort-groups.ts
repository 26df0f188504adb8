import type { GroupStatus, GroupSummary } from '../contract';
import { compareStrings } from '../compare';

/**
 * How urgent a status is, lowest first: broken (STOP, STALL, DATA_LOSS, REWIND), then WARN, then the ones we cannot
 * judge yet (NO_COMMIT, EVALUATING, not evaluated), then OK. Equal ranks are ordered by lag seconds.
 */
export function statusRank(status: GroupStatus | null): number {
  switch (status) {
    case 'STOP':
    case 'STALL':
    case 'DATA_LOSS':
    case 'REWIND':
      return 0;
    case 'WARN':
      return 1;
    case 'NO_COMMIT':
      return 2;
    case 'EVALUATING':
    case null:
      return 3;
    case 'OK':
      return 4;
  }
}

export const GROUP_SORT_KEYS = ['problems', 'name', 'members', 'lag', 'lagMax', 'lagSeconds', 'eta', 'consumeRate'] as const;
export type GroupSortKey = (typeof GROUP_SORT_KEYS)[number];
export type SortDirection = 'asc' | 'desc';
export interface GroupSort {
  key: GroupSortKey;
  direction: SortDirection;
}

/** Problem groups first: what an on-call engineer opens the list for. */
export const DEFAULT_GROUP_SORT: GroupSort = { key: 'problems', direction: 'asc' };

/** The direction a column starts in when clicked: biggest numbers first, names A to Z. */
export function firstDirection(key: GroupSortKey): SortDirection {
  return key === 'name' || key === 'problems' ? 'asc' : 'desc';
}

function numberOf(group: GroupSummary, key: Exclude<GroupSortKey, 'problems' | 'name'>): number | null {
  switch (key) {
    case 'members':
      return group.members.length;
    case 'lag':
      return group.lagSum;
    case 'lagMax':
      return group.lagMax;
    case 'lagSeconds':
      return group.lagSecondsMax;
    case 'eta':
      return group.etaSeconds;
    case 'consumeRate':
      return group.consumeRate ?? null;
  }
}

/** Unknown numbers sort last whichever the direction: a "—" at the top would hide the groups we know are behind. */
function compareKnownFirst(a: number | null, b: number | null, direction: SortDirection): number {
  if (a === null || b === null) return a === null ? (b === null ? 0 : 1) : -1;
  return direction === 'asc' ? a - b : b - a;
}

/** The default order: status rank, then lag seconds, then lag in messages (both worst first), then name. */
export function compareProblemsFirst(a: GroupSummary, b: GroupSummary): number {
  return (
    statusRank(a.status) - statusRank(b.status) ||
    compareKnownFirst(a.lagSecondsMax, b.lagSecondsMax, 'desc') ||
    compareKnownFirst(a.lagSum, b.lagSum, 'desc') ||
    compareStrings(a.id, b.id)
  );
}

/** A sorted copy; ties fall back to problems-first, so equal lags still show the broken group on top. */
export function sortGroups(groups: readonly GroupSummary[], sort: GroupSort = DEFAULT_GROUP_SORT): GroupSummary[] {
  const { key, direction } = sort;
  const compare = (a: GroupSummary, b: GroupSummary): number => {
    if (key === 'problems') return direction === 'asc' ? compareProblemsFirst(a, b) : compareProblemsFirst(b, a);
    if (key === 'name') return direction === 'asc' ? compareStrings(a.id, b.id) : compareStrings(b.id, a.id);
    return compareKnownFirst(numberOf(a, key), numberOf(b, key), direction) || compareProblemsFirst(a, b);
  };
  return [...groups].sort(compare);
}
