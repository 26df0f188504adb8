import type { DatabaseSync, StatementSync } from 'node:sqlite';
import type { SeriesRegistry, SeriesState } from './series-registry';
import type { HwmPoint, OffsetPoint, RecentHistory } from './types';

/** Larger than any real timestamp, for an open-ended range (SQLite compares it fine as a REAL). */
const FAR_FUTURE = Number.MAX_SAFE_INTEGER;

type Row = [t: number, value: number, value2: number | null];

/**
 * Turns stored rows back into the points the readers want. A series' stored rows are its changes plus the
 * closing row of every finished flat run; the still-open run ends at the series' last observation, which is not
 * a row, so it is added here as a final point.
 */
export class SampleReader {
  readonly #around: StatementSync;
  readonly #recent: StatementSync;

  constructor(db: DatabaseSync) {
    // The newest row at or before fromMs and the first at or after toMs bound the range: with them a step or a
    // linear reading is right at both edges.
    this.#around = db.prepare(`
      SELECT t, value, value2 FROM samples
      WHERE series_id = ?1
        AND t >= coalesce((SELECT max(t) FROM samples WHERE series_id = ?1 AND t <= ?2), ?2)
        AND t <= coalesce((SELECT min(t) FROM samples WHERE series_id = ?1 AND t >= ?3), ?3)
      ORDER BY t
    `);
    this.#around.setReturnArrays(true);
    // One statement for a whole cluster: the outer loop walks series in id order and the inner one seeks each
    // series' range in the primary key, so rows arrive grouped by series and in time order without a sort.
    this.#recent = db.prepare(`
      SELECT x.id, s.t, s.value, s.value2
      FROM series x JOIN samples s ON s.series_id = x.id
      WHERE +x.cluster = ?1
        AND s.t >= coalesce((SELECT max(p.t) FROM samples p WHERE p.series_id = x.id AND p.t <= ?2), ?2)
      ORDER BY x.id, s.t
    `);
    this.#recent.setReturnArrays(true);
  }

  /** Points of one series from `fromMs` to `toMs`, widened to the stored rows bounding them, plus the flat-run end. */
  points(state: SeriesState | undefined, fromMs: number, toMs: number = FAR_FUTURE): HwmPoint[] {
    if (!state) return [];
    const rows = this.#around.all(state.id, fromMs, toMs) as unknown as Row[];
    const points = rows.map(([t, value, value2]) => toPoint(state, t, value, value2));
    const last = points[points.length - 1];
    if (last && last.t === state.lastRowT) appendFlatRunEnd(points, state);
    return points;
  }

  /** Every series of a cluster from `sinceMs` (widened to the newest row at or before it), for the start-up load. */
  recent(registry: SeriesRegistry, cluster: string, sinceMs: number): RecentHistory {
    const byId = new Map<number, SeriesState>();
    for (const state of registry.ofCluster(cluster)) byId.set(state.id, state);
    const recent: RecentHistory = { hwm: new Map(), logStart: new Map(), commits: new Map() };
    let currentId = -1;
    let current: SeriesState | undefined;
    let points: HwmPoint[] = [];
    const flush = () => {
      if (!current || points.length === 0) return;
      appendFlatRunEnd(points, current);
      mapFor(recent, current).set(recentKey(current), points);
    };
    for (const row of this.#recent.iterate(cluster, sinceMs) as Iterable<unknown[]>) {
      const [id, t, value, value2] = row as [number, number, number, number | null];
      if (id !== currentId) {
        flush();
        currentId = id;
        current = byId.get(id);
        points = [];
      }
      if (current) points.push(toPoint(current, t, value, value2));
    }
    flush();
    return recent;
  }
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
