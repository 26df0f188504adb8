import { fetchV12 } from '@platformatic/kafka';
import { AbortedRuns, IS_CONTROL } from './aborted-transactions';
import { ApiKeys, pickVersion } from './api-versions';
import type { BrokerAccess, BrokerEndpoint } from './offsets';
import { ISOLATION } from './offsets';

const PROBE_MAX_BYTES = 256 * 1024;

export interface ProbeResult {
  /** Offset and timestamp (epoch ms) of the first record a read_committed consumer would get at or after `from`. */
  firstDataOffset: number | null;
  firstDataTimestamp: number | null;
  /** Offset just past the last batch the probe saw; everything in [from, scannedTo) before firstDataOffset was control records or aborted data. */
  scannedTo: number;
}

/**
 * Reads the batches at `from` once, as a read_committed consumer would (group-less: a plain Fetch, no group is
 * joined or created). Answers two questions the offsets alone cannot: is the remaining lag made only of
 * transaction markers (or aborted data), and when was the next unread record written (exact lag in seconds).
 */
export async function probeRecords(
  access: BrokerAccess,
  leader: BrokerEndpoint,
  topic: string,
  partition: number,
  leaderEpoch: number,
  from: number,
): Promise<ProbeResult> {
  if (!pickVersion([fetchV12], ApiKeys.Fetch, access.apis)) throw new Error('the broker does not speak Fetch v12');
  const connection = await access.connection(leader);
  let response;
  try {
    response = await fetchV12.api.async(
      connection,
      0, // maxWaitMs: answer at once, whatever is there
      0, // minBytes
      PROBE_MAX_BYTES,
      ISOLATION.readCommitted,
      0, // sessionId: no fetch session
      -1, // sessionEpoch: a full, sessionless fetch
      [{ topicId: topic, partitions: [{ partition, currentLeaderEpoch: leaderEpoch, fetchOffset: BigInt(from), lastFetchedEpoch: -1, partitionMaxBytes: PROBE_MAX_BYTES }] }],
      [],
      '',
    );
    access.stats.record('Fetch', leader.nodeId, 'ok');
  } catch (err) {
    access.stats.record('Fetch', leader.nodeId, 'error');
    throw err;
  }
  const p = response.responses[0]?.partitions[0];
  if (!p) return { firstDataOffset: null, firstDataTimestamp: null, scannedTo: from };
  // Data of aborted transactions is skipped by read_committed consumers: it is not unread data either.
  const aborted = new AbortedRuns(p.abortedTransactions);
  let scannedTo = from;
  for (const batch of p.records ?? []) {
    const base = batch.firstOffset;
    scannedTo = Math.max(scannedTo, Number(base) + batch.lastOffsetDelta + 1);
    // Every batch goes through the filter, markers included: an ABORT marker ends that producer's aborted run.
    if (aborted.isAborted(batch) || batch.attributes & IS_CONTROL) continue;
    for (const record of batch.records) {
      const offset = Number(base) + record.offsetDelta;
      if (offset < from) continue;
      return { firstDataOffset: offset, firstDataTimestamp: Number(batch.firstTimestamp + record.timestampDelta), scannedTo };
    }
  }
  return { firstDataOffset: null, firstDataTimestamp: null, scannedTo };
}
