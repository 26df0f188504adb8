import type { DatabaseSync } from 'node:sqlite';
import type { SeriesKind } from './types';

/** What the store keeps in memory per series, so a cycle can decide what changed without reading the database. */
export interface SeriesState {
  readonly id: number;
  readonly cluster: string;
  readonly kind: SeriesKind;
  /** '' unless kind is 'commit'. */
  readonly group: string;
  readonly topic: string;
  readonly partition: number;
  /** Value of the newest stored row, null before the first row. */
  value: number | null;
  value2: number | null;
  lastRowT: number | null;
  /** The last observation; the newest stored value holds until then. */
  lastSeenT: number | null;
  /** series.last_seen_t as stored: null while the series follows its cluster's cluster_seen.t. */
  storedLastSeenT: number | null;
  /** Serial of the last cycle that reported the series, to find duplicates and the series a cycle left out. */
  mark: number;
  forgotten: boolean;
}

/** Partition series by topic, then by partition number (a sparse array: partitions are small integers). */
export type PartitionIndex = Map<string, SeriesState[]>;
/** Commit series by group, then as a PartitionIndex. */
export type CommitIndex = Map<string, PartitionIndex>;

function scopeKey(cluster: string, name: string): string {
  return `${cluster}\u0000${name}`;
}

/**
 * The in-memory index of every series. The write path looks series up through nested maps keyed by the strings
 * the poller already has (no key string is built per sample: at 40,000 samples a cycle that showed in profiles);
 * the reads use the by-group and by-topic lists. A few hundred bytes per series (an estimate; not in bench/RESULTS.md).
 */
export class SeriesRegistry {
  readonly #byId = new Map<number, SeriesState>();
  readonly #partitions = new Map<string, PartitionIndex>();
  readonly #commits = new Map<string, CommitIndex>();
  readonly #counts = new Map<string, number>();
  readonly #byGroup = new Map<string, SeriesState[]>();
  readonly #byTopic = new Map<string, SeriesState[]>();
  #maxId = 0;

  get size(): number {
    return this.#byId.size;
  }

  /** The highest series id loaded or created (the staging move walks ids up to it). */
  get maxId(): number {
    return this.#maxId;
  }

  partitionIndex(cluster: string, kind: 'hwm' | 'log_start'): PartitionIndex {
    const key = scopeKey(cluster, kind);
    let index = this.#partitions.get(key);
    if (!index) {
      index = new Map();
      this.#partitions.set(key, index);
    }
    return index;
  }

  commitIndex(cluster: string): CommitIndex {
    let index = this.#commits.get(cluster);
    if (!index) {
      index = new Map();
      this.#commits.set(cluster, index);
    }
    return index;
  }

  count(cluster: string, kind: SeriesKind): number {
    return this.#counts.get(scopeKey(cluster, kind)) ?? 0;
  }

  find(cluster: string, kind: SeriesKind, group: string, topic: string, partition: number): SeriesState | undefined {
    const index = kind === 'commit' ? this.#commits.get(cluster)?.get(group) : this.#partitions.get(scopeKey(cluster, kind));
    return index?.get(topic)?.[partition];
  }

  byId(id: number): SeriesState | undefined {
    return this.#byId.get(id);
  }

  /** The commit series of a group. */
  ofGroup(cluster: string, group: string): readonly SeriesState[] {
    return this.#byGroup.get(scopeKey(cluster, group)) ?? [];
  }

  /** Every series on a topic: its partitions' hwm and log start, and the groups' commits. */
  ofTopic(cluster: string, topic: string): readonly SeriesState[] {
    return this.#byTopic.get(scopeKey(cluster, topic)) ?? [];
  }

  all(): IterableIterator<SeriesState> {
    return this.#byId.values();
  }

  *ofKind(cluster: string, kind: SeriesKind): IterableIterator<SeriesState> {
    for (const state of this.#byId.values()) if (state.cluster === cluster && state.kind === kind) yield state;
  }

  add(state: SeriesState): void {
    const index = state.kind === 'commit' ? groupIndex(this.commitIndex(state.cluster), state.group) : this.partitionIndex(state.cluster, state.kind);
    topicList(index, state.topic)[state.partition] = state;
    this.#byId.set(state.id, state);
    const countKey = scopeKey(state.cluster, state.kind);
    this.#counts.set(countKey, (this.#counts.get(countKey) ?? 0) + 1);
    if (state.kind === 'commit') push(this.#byGroup, scopeKey(state.cluster, state.group), state);
    push(this.#byTopic, scopeKey(state.cluster, state.topic), state);
    this.#maxId = Math.max(this.#maxId, state.id);
  }

  remove(state: SeriesState): void {
    if (this.#byId.get(state.id) !== state) return;
    this.#byId.delete(state.id);
    const index = state.kind === 'commit' ? this.#commits.get(state.cluster)?.get(state.group) : this.#partitions.get(scopeKey(state.cluster, state.kind));
    const list = index?.get(state.topic);
    if (list) delete list[state.partition];
    const countKey = scopeKey(state.cluster, state.kind);
    this.#counts.set(countKey, (this.#counts.get(countKey) ?? 1) - 1);
    if (state.kind === 'commit') pull(this.#byGroup, scopeKey(state.cluster, state.group), state);
    pull(this.#byTopic, scopeKey(state.cluster, state.topic), state);
    state.forgotten = true;
  }

  clear(): void {
    for (const state of this.#byId.values()) state.forgotten = true;
    for (const map of [this.#byId, this.#partitions, this.#commits, this.#counts, this.#byGroup, this.#byTopic]) map.clear();
  }
}

function groupIndex(commits: CommitIndex, group: string): PartitionIndex {
  let index = commits.get(group);
  if (!index) {
    index = new Map();
    commits.set(group, index);
  }
  return index;
}

function topicList(index: PartitionIndex, topic: string): SeriesState[] {
  let list = index.get(topic);
  if (!list) {
    list = [];
    index.set(topic, list);
  }
  return list;
}

function push(index: Map<string, SeriesState[]>, key: string, state: SeriesState): void {
  const list = index.get(key);
  if (list) list.push(state);
  else index.set(key, [state]);
}

function pull(index: Map<string, SeriesState[]>, key: string, state: SeriesState): void {
  const list = index.get(key);
  if (!list) return;
  const rest = list.filter((s) => s !== state);
  if (rest.length > 0) index.set(key, rest);
  else index.delete(key);
}

export function newSeriesState(id: number, cluster: string, kind: SeriesKind, group: string, topic: string, partition: number): SeriesState {
  return { id, cluster, kind, group, topic, partition, value: null, value2: null, lastRowT: null, lastSeenT: null, storedLastSeenT: null, mark: 0, forgotten: false };
}

export function clusterSeenKey(cluster: string, kind: SeriesKind): string {
  return scopeKey(cluster, kind);
}

/**
 * Fills `registry` with every series and its newest row (one index seek each, then the staged rows, which are
 * newer), and returns the per-cluster report times. Each series' last observation is its own last_seen_t once it
 * stopped being reported, else its cluster's.
 */
export function loadRegistry(db: DatabaseSync, registry: SeriesRegistry): Map<string, number> {
  const clusterSeen = new Map<string, number>();
  for (const row of db.prepare('SELECT cluster, kind, t FROM cluster_seen').all()) {
    clusterSeen.set(clusterSeenKey(String(row.cluster), String(row.kind) as SeriesKind), Number(row.t));
  }
  registry.clear();
  const rows = db.prepare(`
    SELECT x.id, x.cluster, x.kind, x.grp, x.topic, x.part, x.last_seen_t, s.t, s.value, s.value2
    FROM series x
    LEFT JOIN samples s ON s.series_id = x.id AND s.t = (SELECT max(t) FROM samples WHERE series_id = x.id)
  `);
  rows.setReturnArrays(true);
  for (const row of rows.iterate() as Iterable<unknown[]>) {
    const [id, cluster, kind, group, topic, partition, lastSeen, t, value, value2] = row as [number, string, SeriesKind, string, string, number, number | null, number | null, number | null, number | null];
    const state = newSeriesState(id, cluster, kind, group, topic, partition);
    state.value = value;
    state.value2 = value2;
    state.lastRowT = t;
    state.storedLastSeenT = lastSeen;
    state.lastSeenT = lastSeen ?? clusterSeen.get(clusterSeenKey(cluster, kind)) ?? null;
    registry.add(state);
  }
  const staged = db.prepare('SELECT series_id, t, value, value2 FROM samples_staging ORDER BY series_id, t');
  staged.setReturnArrays(true);
  for (const row of staged.iterate() as Iterable<unknown[]>) {
    const [id, t, value, value2] = row as [number, number, number, number | null];
    const state = registry.byId(id);
    if (!state) continue;
    state.value = value;
    state.value2 = value2;
    state.lastRowT = t;
  }
  for (const state of registry.all()) {
    if (state.lastRowT !== null) state.lastSeenT = Math.max(state.lastSeenT ?? state.lastRowT, state.lastRowT);
  }
  return clusterSeen;
}
