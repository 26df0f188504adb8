import type { DeadLetterInfo } from '../../lib/contract/replay';
import type { Topology } from '../../lib/contract/topology';
import { detectDeadLetter, type HeaderPairs } from '../../lib/replay/dead-letter';
import type { KafkaMessagesClient } from '../kafka/messages-client';

/** How many of the newest records the probe reads headers from. */
export const PROBE_RECORDS = 200;

/**
 * Is `topic` a dead-letter topic, and of what? Reads the headers of its newest ~200 records (spread over the
 * partitions) and the topology's deadLetters edges into it, then lets lib/replay/dead-letter decide.
 */
export async function probeDeadLetter(client: KafkaMessagesClient, topic: string, topology: Pick<Topology, 'edges'> | null): Promise<DeadLetterInfo | null> {
  const layout = await client.layout(topic);
  const { marks } = await client.watermarks(layout, layout.partitions);
  const per = Math.max(1, Math.ceil(PROBE_RECORDS / Math.max(1, marks.size)));
  const reqs = [...marks.values()].filter((w) => w.high > w.low).map((w) => ({ partition: w.partition, fromOffset: Math.max(w.low, w.high - per), maxBytes: 1024 * 1024 }));
  const records: HeaderPairs[] = [];
  if (reqs.length > 0) {
    const reads = await client.read(layout, reqs, 8 * 1024 * 1024);
    for (const read of reads) {
      // A partition that fails to answer just gives no evidence.
      for (const r of read.records.slice(-per)) records.push(r.headers.map(([k, v]) => [k, v === null ? null : v.subarray(0, 512).toString('utf8')] as const));
    }
  }
  const node = `topic:${topic}`;
  const topologyOriginals = (topology?.edges ?? []).filter((e) => e.kind === 'deadLetters' && e.to === node && e.from.startsWith('topic:')).map((e) => e.from.slice('topic:'.length));
  return detectDeadLetter({ topic, records, topologyOriginals });
}
