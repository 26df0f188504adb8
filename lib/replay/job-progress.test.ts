import { describe, expect, it } from 'vitest';
import { advanceMarks, estimateMatches, formatSource, parseSource, positionsAfterBatches, rangesDone, remaining } from './job-progress';

describe('replay checkpoint arithmetic', () => {
  it('advances marks to past the last acked record and never back', () => {
    const m = advanceMarks({ '0': 10, '1': 50 }, [{ partition: 0, baseOffset: 10, count: 5 }, { partition: 1, baseOffset: 20, count: 3 }, { partition: 2, baseOffset: 0, count: 2 }]);
    expect(m).toEqual({ '0': 15, '1': 50, '2': 2 });
    expect(advanceMarks(m, [{ partition: 0, baseOffset: -1, count: 3 }, { partition: 0, baseOffset: 99, count: 0 }])).toEqual(m);
  });

  it('positions after each batch point at the first record still waiting, else the chunk end', () => {
    const batches = [
      [{ partition: 0, offset: 3 }, { partition: 1, offset: 7 }],
      [{ partition: 0, offset: 5 }, { partition: 0, offset: 9 }],
      [{ partition: 1, offset: 12 }],
    ];
    const after = positionsAfterBatches(batches, new Map([[0, 20], [1, 30], [2, 4]]));
    expect(after[0]).toEqual({ '0': 5, '1': 12, '2': 4 });
    expect(after[1]).toEqual({ '0': 20, '1': 12, '2': 4 });
    expect(after[2]).toEqual({ '0': 20, '1': 30, '2': 4 });
    expect(positionsAfterBatches([], new Map([[0, 8]]))).toEqual([]);
  });

  it('knows when ranges are done and what is left', () => {
    const ranges = [{ partition: 0, from: 10, to: 20 }, { partition: 1, from: 0, to: 0 }];
    expect(rangesDone(ranges, { '0': 20 })).toBe(true);
    expect(rangesDone(ranges, { '0': 19 })).toBe(false);
    expect(rangesDone(ranges, {})).toBe(false);
    expect(remaining(ranges, { '0': 15 })).toBe(5);
    expect(remaining(ranges, {})).toBe(10);
  });

  it('estimates matches from a partial scan', () => {
    expect(estimateMatches(10, 100, 1_000, false)).toBe(100);
    expect(estimateMatches(7, 100, 100, true)).toBe(7);
    expect(estimateMatches(0, 0, 50, false)).toBe(50);
    expect(estimateMatches(0, 0, 0, true)).toBe(0);
  });

  it('formats and parses the provenance source, clusters with slashes included', () => {
    expect(formatSource('local', 'orders', 2, 41)).toBe('local/orders/2/41');
    expect(parseSource('local/orders/2/41')).toEqual({ cluster: 'local', topic: 'orders', partition: 2, offset: 41 });
    expect(parseSource('eu/prod/orders/0/7')).toEqual({ cluster: 'eu/prod', topic: 'orders', partition: 0, offset: 7 });
    expect(parseSource('orders/2/41')).toBeNull();
    expect(parseSource('a/b/x/1')).toBeNull();
    expect(parseSource('a/b/1/-1')).toBeNull();
  });
});
