import { execSync } from 'node:child_process';

/**
 * The shape of the benchmark cluster, shared by the creator, the live poll bench and the memory bench so all three
 * talk about the same 10,000 partitions and 500 groups.
 * - 2,000 topics × 5 partitions. A topic is "active" when its index % 10 < 3 (30 %, spread over the name range so
 *   no broker-side ordering favours them).
 * - 500 groups; group g commits on topics 4g..4g+3, so every topic has exactly one reading group and there are
 *   500 × 4 × 5 = 10,000 committed group-partitions.
 */
// Its own variable, not KAFKA_PORT: a shell that exported KAFKA_PORT=9092 for the tests must not get 2,000 topics.
export const BENCH_PORT = Number(process.env.BENCH_KAFKA_PORT ?? 9892);
export const BENCH_BROKERS = [`127.0.0.1:${BENCH_PORT}`];

export const TOPICS = 2_000;
export const PARTITIONS_PER_TOPIC = 5;
export const GROUPS = 500;
export const TOPICS_PER_GROUP = 4;
/** Messages produced once to each partition of an active topic, so high watermarks are not all zero. */
export const MESSAGES_PER_ACTIVE_PARTITION = 10;

// Zero-padded so names sort like their indexes (the poller sorts topics and groups by name).
export const topicName = (i: number): string => `bench-t${String(i).padStart(4, '0')}`;
export const groupName = (g: number): string => `bench-g${String(g).padStart(3, '0')}`;
export const isActiveTopic = (i: number): boolean => i % 10 < 3;

export function topicsOfGroup(g: number): number[] {
  return Array.from({ length: TOPICS_PER_GROUP }, (_, k) => (g * TOPICS_PER_GROUP + k) % TOPICS);
}

export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  // Nearest rank: with 30 samples, p95 is the 29th value, not an interpolation between two.
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}

export const mb = (bytes: number): number => Math.round((bytes / 1024 / 1024) * 10) / 10;

/**
 * Which poller code a run measured: other people change server/poller and lib/lag while benches run, so a figure
 * without its commit (and whether those folders had uncommitted edits) cannot be compared with anything.
 */
export function codeVersion(): { commit: string; dirty: string[] } {
  const git = (cmd: string) => execSync(`git ${cmd}`, { cwd: import.meta.dirname, encoding: 'utf8' }).trim();
  try {
    return { commit: git('rev-parse --short HEAD'), dirty: git('status --porcelain -- ../../server/poller ../../server/kafka ../../lib/lag').split('\n').filter(Boolean) };
  } catch {
    return { commit: 'unknown', dirty: [] };
  }
}
