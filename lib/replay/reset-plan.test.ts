import { describe, expect, it } from 'vitest';
import { planReset, resetCommand, undoSpecOffsets, type ResetInput } from './reset-plan';

// email-service on user.registered as the demo leaves it after a stop: partition 0 behind, 1 caught up, 2 never
// committed, and retention has removed the first 120 records of partition 1.
const parts: ResetInput[] = [
  { topic: 'user.registered', partition: 0, committed: 9_540, low: 0, high: 9_767, offsetForTime: 9_300, sourceCommitted: 9_767 },
  { topic: 'user.registered', partition: 1, committed: 9_702, low: 120, high: 9_702, offsetForTime: 9_480, sourceCommitted: 9_650 },
  { topic: 'user.registered', partition: 2, committed: null, low: 0, high: 9_667, offsetForTime: null, sourceCommitted: null },
];

describe('planReset', () => {
  it('to earliest: reprocesses everything still in the log, from the log start', () => {
    const plan = planReset({ mode: 'earliest' }, parts);
    expect(plan.partitions.map((p) => [p.target, p.reprocess, p.skip, p.lagAfter])).toEqual([
      [0, 9_540, 0, 9_767],
      [120, 9_582, 0, 9_582],
      [0, null, null, 9_667],
    ]);
    expect(plan.totals).toEqual({ reprocess: 9_540 + 9_582, skip: 0, lagAfter: 9_767 + 9_582 + 9_667, changed: 3 });
  });

  it('to latest: skips the backlog, and says how much', () => {
    const plan = planReset({ mode: 'latest' }, parts);
    expect(plan.partitions.map((p) => [p.target, p.skip, p.lagAfter])).toEqual([
      [9_767, 227, 0],
      [9_702, 0, 0],
      [9_667, null, 0],
    ]);
    expect(plan.totals.changed).toBe(2);
  });

  it('to a time: Kafka offset per partition, the end where no record is that recent', () => {
    const plan = planReset({ mode: 'timestamp', timestamp: Date.UTC(2026, 10, 22, 20) }, parts);
    expect(plan.partitions.map((p) => [p.target, p.reprocess])).toEqual([
      [9_300, 240],
      [9_480, 222],
      [9_667, null],
    ]);
    expect(planReset({ mode: 'timestamp', timestamp: 0 }, [{ ...parts[0]!, offsetForTime: undefined }]).leftOut[0]!.reason).toMatch(/not looked up/);
  });

  it('to an offset outside the log: clamped to its start or end, and marked', () => {
    const plan = planReset({ mode: 'offset', offset: 50 }, parts);
    expect(plan.partitions.map((p) => [p.requested, p.target, p.clamped])).toEqual([
      [50, 50, null],
      [50, 120, 'to-log-start'],
      [50, 50, null],
    ]);
    expect(planReset({ mode: 'offset', offset: 20_000 }, parts).partitions.every((p) => p.clamped === 'to-log-end' && p.lagAfter === 0)).toBe(true);
  });

  it('shift by -N: from the commit, leaving out a partition with none', () => {
    const plan = planReset({ mode: 'shift', by: -1_000 }, parts);
    expect(plan.partitions.map((p) => [p.partition, p.target, p.reprocess])).toEqual([
      [0, 8_540, 1_000],
      [1, 8_702, 1_000],
    ]);
    expect(plan.leftOut).toEqual([{ topic: 'user.registered', partition: 2, reason: 'the group has no committed offset here to shift from' }]);
  });

  it("copy another group's offsets, leaving out partitions it never committed", () => {
    const plan = planReset({ mode: 'copy', group: 'analytics-service' }, parts);
    expect(plan.partitions.map((p) => [p.partition, p.target, p.skip, p.reprocess])).toEqual([
      [0, 9_767, 227, 0],
      [1, 9_650, 0, 52],
    ]);
    expect(plan.leftOut[0]!.reason).toBe('group "analytics-service" has no committed offset here');
  });

  it('a commit below the log start counts from the log start (those records are gone anyway)', () => {
    const [p] = planReset({ mode: 'latest' }, [{ topic: 't', partition: 0, committed: 10, low: 500, high: 800 }]).partitions;
    expect(p).toMatchObject({ current: 10, target: 800, skip: 300, reprocess: 0 });
  });

  it('undo goes back to the offsets before the reset', () => {
    expect(undoSpecOffsets(planReset({ mode: 'earliest' }, parts))).toEqual([
      { topic: 'user.registered', partition: 0, offset: 9_540 },
      { topic: 'user.registered', partition: 1, offset: 9_702 },
    ]);
  });
});

describe('resetCommand', () => {
  it("is Kafka's own tool with the same reset", () => {
    expect(resetCommand('127.0.0.1:9092', 'email-service', { mode: 'timestamp', timestamp: Date.UTC(2026, 10, 22, 20, 0, 0, 5) }, [{ topic: 'user.registered', partitions: [0, 2] }])).toBe(
      'kafka-consumer-groups.sh --bootstrap-server 127.0.0.1:9092 --group email-service --reset-offsets --to-datetime 2026-11-22T20:00:00.005Z --topic user.registered:0,2 --dry-run',
    );
    expect(resetCommand('b:9092', "it's", { mode: 'shift', by: -5 }, [], true)).toBe("kafka-consumer-groups.sh --bootstrap-server b:9092 --group 'it'\\''s' --reset-offsets --shift-by -5 --all-topics --execute");
  });
});
