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
    // One statement for a whole cluster: the outer loop walks series in id order and the inner one seeks each
    // series' range in the primary key, so rows arrive grouped by series and in time order without a sort.
    this.#recent = db.prepare(`
      SELECT x.id, s.t, s.value, s.value2
      FROM series x JOIN samples s ON s.series_id = x.id
      WHERE +x.cluster = ?1
        AND s.t >= coalesce((SELECT max(p.t) FROM samples p WHERE p.series_id = x.id AND p.t <= iif(x.kind = 'commit', ?3, ?2)), iif(x.kind = 'commit', ?3, ?2))
      ORDER BY x.id, s.t
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
    const collect = (rows: Iterable<unknown[]>) => {
      let currentId = -1;
      let list: HwmPoint[] | undefined;
      let state: SeriesState | undefined;
      for (const row of rows) {
        const [id, t, value, value2] = row as [number, number, number, number | null];
        if (id !== currentId) {
          currentId = id;
          state = registry.byId(id);
          list = state && state.cluster === cluster ? lists.get(state) : undefined;
          if (state && state.cluster === cluster && !list) {
            list = [];
            lists.set(state, list);
          }
        }
        if (list && state) list.push(toPoint(state, t, value, value2));
      }
    };
    collect(this.#recent.iterate(cluster, sinceMs, commitsSinceMs) as Iterable<unknown[]>);
    // Staged rows come after the stored ones of their series; the window's start is cut again below.
    collect(this.#recentStaged.iterate() as Iterable<unknown[]>);
    const recent: RecentHistory = { hwm: new Map(), logStart: new Map(), commits: new Map() };
    for (const [state, list] of lists) {
      const points = trimToRange(list, state.kind === 'commit' ? commitsSinceMs : sinceMs, FAR_FUTURE);
      appendFlatRunEnd(points, state);
      mapFor(recent, state).set(recentKey(state), points);
    }
    return recent;
  }
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
