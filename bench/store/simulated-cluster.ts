import type { CommittedOffset, CycleSamples, LogStartOffset, PartitionOffsets } from '../../server/store/types';

/**
 * A deterministic stand-in for a large cluster, polled every 5 s:
 * - 10,000 partitions: 166 topics of 60 and one of 40. 30 % of the topics (so of the partitions) are active, each
 *   partition at a base rate log-uniform in 1..200 msg/s, times a diurnal factor (0.1 at 03:00 UTC, 1.0 at 15:00);
 *   messages per poll are Poisson. The other topics are idle.
 * - 500 groups, each reading one 60-partition topic (30,000 committed group-partitions). 90 % keep up and commit
 *   every poll (about 0.2 s of messages still in flight), 5 % are stopped (commit frozen), 5 % consume at 70 %
 *   of the produce rate and fall behind.
 * - Log start offsets in the slow loop (every 6th poll): a segment of 1,000,000 messages is deleted once a
 *   partition holds three.
 * - 5 % of the topics are transactional and report an LSO a few messages behind the HWM.
 */
export const PARTITIONS = 10_000;
export const GROUPS = 500;
export const PARTITIONS_PER_GROUP = 60;
const FULL_TOPICS = 166;
const SEGMENT = 1_000_000;
const SLOW_LOOP_EVERY = 6;

interface PartitionModel {
  topic: string;
  partition: number;
  ratePerSec: number;
  transactional: boolean;
  hwm: number;
  logStart: number;
  producedLastPoll: number;
}

interface GroupPartitionModel {
  group: string;
  behaviour: 'keeps_up' | 'stopped' | 'slow';
  partition: PartitionModel;
  committed: number;
}

export class SimulatedCluster {
  readonly partitions: PartitionModel[] = [];
  readonly groupPartitions: GroupPartitionModel[] = [];
  readonly #random: () => number;
  #poll = 0;

  constructor(seed = 42) {
    this.#random = mulberry32(seed);
    const topicCount = FULL_TOPICS + 1;
    for (let t = 0; t < topicCount; t += 1) {
      const topic = `topic-${String(t).padStart(3, '0')}`;
      const size = t < FULL_TOPICS ? 60 : PARTITIONS - FULL_TOPICS * 60;
      const active = this.#random() < 0.3;
      const transactional = this.#random() < 0.05;
      for (let p = 0; p < size; p += 1) {
        const start = Math.floor(this.#random() * 5 * SEGMENT);
        this.partitions.push({
          topic,
          partition: p,
          ratePerSec: active ? Math.exp(this.#random() * Math.log(200)) : 0,
          transactional,
          hwm: start + 2 * SEGMENT,
          logStart: start,
          producedLastPoll: 0,
        });
      }
    }
    for (let g = 0; g < GROUPS; g += 1) {
      const roll = this.#random();
      const behaviour = roll < 0.9 ? 'keeps_up' : roll < 0.95 ? 'stopped' : 'slow';
      const firstPartition = (g % FULL_TOPICS) * 60;
      for (let p = 0; p < PARTITIONS_PER_GROUP; p += 1) {
        const partition = this.partitions[firstPartition + p] as PartitionModel;
        const behind = behaviour === 'keeps_up' ? 0 : Math.floor(this.#random() * 10_000);
        this.groupPartitions.push({ group: `group-${String(g).padStart(3, '0')}`, behaviour, partition, committed: partition.hwm - behind });
      }
    }
  }

  get activePartitions(): number {
    return this.partitions.filter((p) => p.ratePerSec > 0).length;
  }

  /** Advances the cluster by one poll interval ending at `t` and returns what the poller would read. */
  poll(t: number, pollMs: number): CycleSamples {
    const diurnal = diurnalFactor(t);
    const partitions: PartitionOffsets[] = [];
    for (const p of this.partitions) {
      p.producedLastPoll = p.ratePerSec > 0 ? poisson(p.ratePerSec * diurnal * (pollMs / 1000), this.#random) : 0;
      p.hwm += p.producedLastPoll;
      if (p.hwm - p.logStart >= 3 * SEGMENT) p.logStart += SEGMENT;
      const sample: PartitionOffsets = { topic: p.topic, partition: p.partition, hwm: p.hwm };
      if (p.transactional) sample.lso = p.hwm - Math.min(p.producedLastPoll, 3);
      partitions.push(sample);
    }
    const commits: CommittedOffset[] = [];
    for (const gp of this.groupPartitions) {
      const { partition } = gp;
      if (gp.behaviour === 'keeps_up') {
        // Messages from the last ~0.2 s are still being processed when the poll reads the commit.
        const inFlight = partition.ratePerSec > 0 ? poisson(partition.ratePerSec * diurnal * 0.2, this.#random) : 0;
        gp.committed = Math.max(gp.committed, partition.hwm - inFlight);
      } else if (gp.behaviour === 'slow') {
        gp.committed = Math.min(partition.hwm, gp.committed + Math.floor(partition.producedLastPoll * 0.7));
      }
      commits.push({ group: gp.group, topic: partition.topic, partition: partition.partition, committed: gp.committed });
    }
    const samples: CycleSamples = { partitions, commits };
    if (this.#poll % SLOW_LOOP_EVERY === 0) {
      samples.logStarts = this.partitions.map((p): LogStartOffset => ({ topic: p.topic, partition: p.partition, logStart: p.logStart }));
    }
    this.#poll += 1;
    return samples;
  }

  /**
   * A poll in which a `fraction` of the partitions and of the commits moved by one, chosen at random; 1 is the
   * worst case for recordCycle, 0 the best.
   */
  pollChanged(fraction: number): CycleSamples {
    for (const p of this.partitions) if (this.#random() < fraction) p.hwm += 1;
    for (const gp of this.groupPartitions) if (this.#random() < fraction) gp.committed = Math.min(gp.partition.hwm, gp.committed + 1);
    return {
      partitions: this.partitions.map((p) => ({ topic: p.topic, partition: p.partition, hwm: p.hwm })),
      commits: this.groupPartitions.map((gp) => ({ group: gp.group, topic: gp.partition.topic, partition: gp.partition.partition, committed: gp.committed })),
    };
  }
}

/** 0.1 at 03:00 UTC rising to 1.0 at 15:00 UTC. */
export function diurnalFactor(t: number): number {
  const hour = (t / 3_600_000) % 24;
  return 0.55 - 0.45 * Math.cos((2 * Math.PI * (hour - 3)) / 24);
}

function poisson(lambda: number, random: () => number): number {
  if (lambda <= 0) return 0;
  if (lambda > 30) {
    // Normal approximation; exact enough for a load model and far cheaper.
    const gauss = Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
    return Math.max(0, Math.round(lambda + Math.sqrt(lambda) * gauss));
  }
  const limit = Math.exp(-lambda);
  let k = 0;
  let product = random();
  while (product > limit) {
    k += 1;
    product *= random();
  }
  return k;
}

function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let r = Math.imul(a ^ (a >>> 15), 1 | a);
    r = (r + Math.imul(r ^ (r >>> 7), 61 | r)) ^ r;
    return ((r ^ (r >>> 14)) >>> 0) / 4_294_967_296;
  };
}
