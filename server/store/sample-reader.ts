import type { DatabaseSync, StatementSync } from 'node:sqlite';
import type { SeriesRegistry, SeriesState } from './series-registry';
import type { HwmPoint, OffsetPoint, RecentHistory } from './types';

/** Larger than any real timestamp, for an open-ended range (SQLite compares it fine as a REAL). */
const FAR_FUTURE = Number.MAX_SAFE_INTEGER;

type Row = [t: number, value: number, value2: number | null];

/**
 * Turns stored rows back into the points the readers want. A series' stored rows are its changes plus the
 * closing row of every finished flat run, in samples and (the newest) in samples_staging; the still-open run ends
 * at the series' last observation, which is not a row, so it is added here as a final point.
 */
export class SampleReader {
  readonly #around: StatementSync;
  readonly #aroundStaged: StatementSync;
  readonly #recent: StatementSync;
  readonly #recentStaged: StatementSync;

  constructor(db: DatabaseSync) {
    // The newest row at or before fromMs and the first at or after toMs bound the range: with them a step or a
    // linear reading is right at both edges.
    const around = (table: string) =>
      db.prepare(`
        SELECT t, value, value2 FROM ${table}
        WHERE series_id = ?1
          AND t >= coalesce((SELECT max(t) FROM ${table} WHERE series_id = ?1 AND t <= ?2), ?2)
          AND t <= coalesce((SELECT min(t) FROM ${table} WHERE series_id = ?1 AND t >= ?3), ?3)
        ORDER BY t
      `);
    this.#around = around('samples');
    this.#aroundStaged = around('samples_staging');
    // One statement for a whole cluster, one row per series with its points as "t,value,value2,t,value,..."
    // (value2 'null' when absent), parsed with JSON.parse. Returning one SQL row per point costs about 0.6 µs
    // per row in node:sqlite alone; an hour of a busy cluster is 9 million points. The lower bound is computed
    // first (MATERIALIZED): written inline, SQLite re-evaluates it for every row (much slower when tried; not recorded in bench/RESULTS.md).
    // No ORDER BY inside group_concat: the primary-key scan already yields time order, a sort only adds cost,
    // and unpack() checks the order anyway.
    this.#recent = db.prepare(`
      WITH bounds AS MATERIALIZED (
        SELECT x.id, coalesce((SELECT max(t) FROM samples WHERE series_id = x.id AND t <= x.since), x.since) AS lo
        FROM (SELECT id, iif(kind = 'commit', ?3, ?2) AS since FROM series WHERE cluster = ?1) x
      )
      SELECT b.id, (
        SELECT group_concat(s.t || ',' || s.value || ',' || coalesce(s.value2, 'null'), ',')
        FROM samples s WHERE s.series_id = b.id AND s.t >= b.lo
      ) AS points
      FROM bounds b
    `);
    this.#recentStaged = db.prepare('SELECT series_id, t, value, value2 FROM samples_staging ORDER BY series_id, t');
    for (const statement of [this.#around, this.#aroundStaged, this.#recent, this.#recentStaged]) statement.setReturnArrays(true);
  }

  /** Points of one series from `fromMs` to `toMs`, widened to the stored rows bounding them, plus the flat-run end. */
  points(state: SeriesState | undefined, fromMs: number, toMs: number = FAR_FUTURE): HwmPoint[] {
    if (!state) return [];
    const stored = this.#around.all(state.id, fromMs, toMs) as unknown as Row[];
    const staged = this.#aroundStaged.all(state.id, fromMs, toMs) as unknown as Row[];
    const rows = staged.length === 0 ? stored : trimToRange(stored.concat(staged), fromMs, toMs);
    const points = rows.map(([t, value, value2]) => toPoint(state, t, value, value2));
    const last = points[points.length - 1];
    if (last && last.t === state.lastRowT) appendFlatRunEnd(points, state);
    return points;
  }

  /** Every series of a cluster from `sinceMs` (commits from `commitsSinceMs`), for the start-up load. */
  recent(registry: SeriesRegistry, cluster: string, sinceMs: number, commitsSinceMs: number): RecentHistory {
    const lists = new Map<SeriesState, HwmPoint[]>();
    for (const row of this.#recent.iterate(cluster, sinceMs, commitsSinceMs) as Iterable<unknown[]>) {
      const [id, packed] = row as [number, string | null];
      const state = registry.byId(id);
      if (state && packed) lists.set(state, unpack(state, packed));
    }
    // Staged rows are newer than every stored row of their series, so they go at the end.
    for (const row of this.#recentStaged.iterate() as Iterable<unknown[]>) {
      const [id, t, value, value2] = row as [number, number, number, number | null];
      const state = registry.byId(id);
      if (!state || state.cluster !== cluster) continue;
      let list = lists.get(state);
      if (!list) {
        list = [];
        lists.set(state, list);
      }
      list.push(toPoint(state, t, value, value2));
    }
    const recent: RecentHistory = { hwm: new Map(), logStart: new Map(), commits: new Map() };
    for (const [state, list] of lists) {
      const points = trimToRange(list, state.kind === 'commit' ? commitsSinceMs : sinceMs, FAR_FUTURE);
      appendFlatRunEnd(points, state);
      mapFor(recent, state).set(recentKey(state), points);
    }
    return recent;
  }
}

function unpack(state: SeriesState, packed: string): HwmPoint[] {
  const numbers = JSON.parse(`[${packed}]`) as (number | null)[];
  const points = new Array<HwmPoint>(numbers.length / 3);
  let ordered = true;
  for (let i = 0, j = 0; i < numbers.length; i += 3, j += 1) {
    const t = numbers[i] as number;
    if (j > 0 && t <= (points[j - 1] as HwmPoint).t) ordered = false;
    points[j] = toPoint(state, t, numbers[i + 1] as number, numbers[i + 2] ?? null);
  }
  return ordered ? points : points.sort((a, b) => a.t - b.t);
}

/** Keeps the newest entry at or before `fromMs` and the first at or after `toMs`, and everything between. */
function trimToRange<T extends { t: number } | Row>(rows: T[], fromMs: number, toMs: number): T[] {
  const time = (row: T) => (Array.isArray(row) ? row[0] : (row as { t: number }).t);
  let start = 0;
  while (start + 1 < rows.length && time(rows[start + 1] as T) <= fromMs) start += 1;
  let end = rows.length - 1;
  while (end - 1 >= start && time(rows[end - 1] as T) >= toMs) end -= 1;
  return start === 0 && end === rows.length - 1 ? rows : rows.slice(start, end + 1);
}

function toPoint(state: SeriesState, t: number, offset: number, lso: number | null): HwmPoint {
  // Only hwm points carry the LSO; the others stay plain { t, offset }.
  return state.kind === 'hwm' ? { t, offset, lso } : ({ t, offset } as HwmPoint);
}

function appendFlatRunEnd(points: HwmPoint[], state: SeriesState): void {
  const last = points[points.length - 1];
  if (!last || state.lastSeenT === null || state.lastSeenT <= last.t) return;
  points.push(toPoint(state, state.lastSeenT, last.offset, state.kind === 'hwm' ? last.lso : null));
}

function mapFor(recent: RecentHistory, state: SeriesState): Map<string, OffsetPoint[]> {
  if (state.kind === 'hwm') return recent.hwm;
  if (state.kind === 'log_start') return recent.logStart;
  return recent.commits;
}

/** `topic/partition`, or `group/topic/partition` for commits (topic names cannot contain '/', group ids can). */
export function recentKey(state: Pick<SeriesState, 'kind' | 'group' | 'topic' | 'partition'>): string {
  return state.kind === 'commit' ? `${state.group}/${state.topic}/${state.partition}` : `${state.topic}/${state.partition}`;
}
