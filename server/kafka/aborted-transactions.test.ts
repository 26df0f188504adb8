import { describe, expect, it } from 'vitest';
import { abortedBatches, AbortedRuns, IS_CONTROL, IS_TRANSACTIONAL, isAbortMarker, type TransactionBatch } from './aborted-transactions';

/** A control record's key: int16 version (0), int16 type (0 ABORT, 1 COMMIT). */
function markerKey(type: 0 | 1): Buffer {
  const key = Buffer.alloc(4);
  key.writeInt16BE(0, 0);
  key.writeInt16BE(type, 2);
  return key;
}

const data = (firstOffset: number, count: number, producerId: number, transactional = true): TransactionBatch => ({
  firstOffset: BigInt(firstOffset),
  lastOffsetDelta: count - 1,
  producerId: BigInt(producerId),
  attributes: transactional ? IS_TRANSACTIONAL : 0,
  records: Array.from({ length: count }, () => ({ key: Buffer.from('k') })),
});

const marker = (offset: number, producerId: number, kind: 'abort' | 'commit'): TransactionBatch => ({
  firstOffset: BigInt(offset),
  lastOffsetDelta: 0,
  producerId: BigInt(producerId),
  attributes: IS_TRANSACTIONAL | IS_CONTROL,
  records: [{ key: markerKey(kind === 'abort' ? 0 : 1) }],
});

const aborted = (producerId: number, firstOffset: number) => ({ producerId: BigInt(producerId), firstOffset: BigInt(firstOffset) });

describe('aborted transaction runs (what read_committed drops)', () => {
  it('drops only the data of the aborted transaction in a realistic log', () => {
    // 0-1 data of producer 8's transaction, 2-4 data of producer 7's transaction, 5 producer 7's ABORT marker,
    // 6 producer 8's COMMIT marker, 7-8 plain (non-transactional) data, 9-10 producer 7 in a new transaction,
    // 11 its COMMIT marker: a Kafka Streams EOS log with one task that failed and retried.
    const log = [
      data(0, 2, 8),
      data(2, 3, 7),
      marker(5, 7, 'abort'),
      marker(6, 8, 'commit'),
      data(7, 2, 3, false),
      data(9, 2, 7),
      marker(11, 7, 'commit'),
    ];
    expect(abortedBatches(log, [aborted(7, 2)])).toEqual([false, true, false, false, false, false, false]);
  });

  it('keeps everything when nothing was aborted (read_uncommitted answers, or no aborted transaction)', () => {
    const log = [data(0, 2, 7), marker(2, 7, 'commit'), data(3, 1, 4, false)];
    expect(abortedBatches(log, null)).toEqual([false, false, false]);
    expect(abortedBatches(log, [])).toEqual([false, false, false]);
  });

  it('a COMMIT marker does not end an aborted run that starts later', () => {
    // Producer 7: committed transaction 0-1 (marker 2), then aborted transaction 3-4 (marker 5).
    const log = [data(0, 2, 7), marker(2, 7, 'commit'), data(3, 2, 7), marker(5, 7, 'abort'), data(6, 1, 7)];
    expect(abortedBatches(log, [aborted(7, 3)])).toEqual([false, false, true, false, false]);
  });

  it('the same producer aborting two transactions in one answer: both runs are dropped, not the one between', () => {
    const log = [data(0, 2, 7), marker(2, 7, 'abort'), data(3, 2, 7), marker(5, 7, 'commit'), data(6, 3, 7), marker(9, 7, 'abort'), data(10, 1, 7)];
    // The broker's list is not promised in order.
    expect(abortedBatches(log, [aborted(7, 6), aborted(7, 0)])).toEqual([true, false, false, false, true, false, false]);
  });

  it('interleaved producers: only the aborting producer is dropped', () => {
    const log = [data(0, 1, 7), data(1, 1, 8), data(2, 1, 7), data(3, 1, 8), marker(4, 8, 'commit'), marker(5, 7, 'abort'), data(6, 1, 8)];
    expect(abortedBatches(log, [aborted(7, 0)])).toEqual([true, false, true, false, false, false, false]);
  });

  it('a read that starts inside an aborted transaction drops its remaining data', () => {
    // The transaction began at 10, before this read's first batch at 14.
    const log = [data(14, 2, 7), marker(16, 7, 'abort'), data(17, 1, 7)];
    expect(abortedBatches(log, [aborted(7, 10)])).toEqual([true, false, false]);
  });

  it('non-transactional data of a producer id in the aborted list is kept (as Kafka does)', () => {
    expect(abortedBatches([data(0, 1, 7, false), marker(1, 7, 'abort')], [aborted(7, 0)])).toEqual([false, false]);
  });

  it('is stateful in order: the run opens at the first offset, not before', () => {
    const runs = new AbortedRuns([aborted(7, 5)]);
    expect(runs.isAborted(data(0, 5, 7))).toBe(false);
    expect(runs.isAborted(data(5, 1, 7))).toBe(true);
    expect(runs.isAborted(marker(6, 7, 'abort'))).toBe(false);
    expect(runs.isAborted(data(7, 1, 7))).toBe(false);
  });

  it('recognises markers by their key', () => {
    expect(isAbortMarker(marker(0, 1, 'abort'))).toBe(true);
    expect(isAbortMarker(marker(0, 1, 'commit'))).toBe(false);
    expect(isAbortMarker(data(0, 1, 1))).toBe(false);
    expect(isAbortMarker({ ...marker(0, 1, 'abort'), records: [{ key: null }] })).toBe(false);
  });
});
