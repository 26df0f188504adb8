import { describe, expect, it } from 'vitest';
import { ProducerSessions, recordsWritten } from './producer-sessions';

const producer = (producerId: string, epoch: number, lastSequence: number, lastTimestamp: number) => ({ producerId, producerEpoch: epoch, lastSequence, lastTimestamp, coordinatorEpoch: -1, currentTxnStartOffset: null });

describe('producer sessions', () => {
  it('counts records from sequence deltas, across epoch bumps and the int32 wrap', () => {
    expect(recordsWritten({ epoch: 0, lastSequence: 6 }, 0, 26)).toBe(20);
    expect(recordsWritten({ epoch: 0, lastSequence: 26 }, 1, 4)).toBe(5);
    expect(recordsWritten({ epoch: 0, lastSequence: 2 ** 31 - 3 }, 0, 1)).toBe(4);
    expect(recordsWritten({ epoch: 0, lastSequence: 5 }, 0, -1)).toBe(0);
  });

  it('is alive only while the sequence moves: a session merely present keeps its last advance time', () => {
    const s = new ProducerSessions();
    const t0 = 1_795_000_000_000;
    // The Java console producer's first poll: 7 records written one second before.
    const fresh = s.ingest([{ topic: 'orders', partition: 0, producers: [producer('4001', 0, 6, t0 - 1000)], error: null }], t0);
    expect(fresh.map((x) => x.producerId)).toEqual(['4001']);
    expect(fresh[0]!.lastAdvanceAt).toBe(t0 - 1000);
    s.ingest([{ topic: 'orders', partition: 0, producers: [producer('4001', 0, 56, t0 + 4000)], error: null }], t0 + 5000);
    const [session] = [...s.all()];
    expect(session!.rate).toBe(10);
    expect(session!.lastAdvanceAt).toBe(t0 + 5000);
    s.ingest([{ topic: 'orders', partition: 0, producers: [producer('4001', 0, 56, t0 + 4000)], error: null }], t0 + 10_000);
    expect([...s.all()][0]).toMatchObject({ rate: 0, lastAdvanceAt: t0 + 5000 });
    // A failed poll changes nothing; an answer without it means the broker expired it.
    s.ingest([{ topic: 'orders', partition: 0, producers: [], error: 'NOT_LEADER_OR_FOLLOWER' }], t0 + 15_000);
    expect(s.size).toBe(1);
    s.ingest([{ topic: 'orders', partition: 0, producers: [], error: null }], t0 + 20_000);
    expect(s.size).toBe(0);
  });

  it('shows a rate of 0 once the partition stops moving, and forgets the sessions of deleted partitions', () => {
    const s = new ProducerSessions();
    const t0 = 1_795_000_000_000;
    s.ingest([{ topic: 'payments', partition: 1, producers: [producer('77', 0, 9, t0)], error: null }], t0);
    s.ingest([{ topic: 'payments', partition: 1, producers: [producer('77', 0, 59, t0 + 5000)], error: null }], t0 + 5000);
    expect([...s.all()][0]!.rate).toBe(10);
    // The next cycle does not describe it: its end offset did not move.
    s.markIdleExcept(new Set(['payments/0']), t0 + 10_000);
    expect([...s.all()][0]!.rate).toBe(0);
    s.retain(new Set(['payments/0']));
    expect(s.size).toBe(0);
  });
});
