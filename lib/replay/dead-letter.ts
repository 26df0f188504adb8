import type { DeadLetterInfo } from '../contract/replay';

/**
 * Dead-letter topic recognition (pure). Three kinds of evidence, any one is enough:
 * - the name: a `dlq`/`dlt` word (`orders.dlq`, `orders-DLT`, `dlq_orders`) or "dead letter" spelled any way
 *   (`dead-letter`, `deadletter`, `dead_letter`, `dead.letter`). "error"/"errors" alone is not enough: plenty of
 *   ordinary topics carry error events;
 * - the records' headers: a framework's "original topic" header (table below);
 * - the topology: a `deadLetters` edge into this topic (learned from those headers earlier, or declared).
 */

/**
 * Headers that name the topic a dead letter came from, most specific first:
 * - Spring Kafka DeadLetterPublishingRecoverer: `kafka_dlt-original-topic`;
 * - Kafka Connect errors.deadletterqueue.context.headers.enable: `__connect.errors.topic`;
 * - Spring Cloud Stream Kafka binder DLQ: `x-original-topic`;
 * - SmallRye Reactive Messaging (Quarkus) dead-letter-queue strategy: `dead-letter-topic` (the ORIGINAL topic);
 * - Karafka dead letter queue: `original_topic`;
 * - hand-rolled conventions: `original-topic`, `originalTopic`, `dlq-original-topic`, `x-dlq-original-topic`,
 *   `source-topic`.
 * Compared case-insensitively.
 */
export const ORIGIN_HEADERS: readonly string[] = [
  'kafka_dlt-original-topic',
  '__connect.errors.topic',
  'x-original-topic',
  'dead-letter-topic',
  'original_topic',
  'original-topic',
  'originaltopic',
  'dlq-original-topic',
  'x-dlq-original-topic',
  'source-topic',
];

const ORIGIN_RANK = new Map(ORIGIN_HEADERS.map((h, i) => [h, i]));
const NAME_WORD = /(^|[._-])(dlq|dlt)($|[._-])/i;
const NAME_PHRASE = /dead[._-]?letter/i;
/** Topic names Kafka accepts: what a header value must look like to be taken for one. */
const TOPIC_NAME = /^[A-Za-z0-9._-]{1,249}$/;

/** The name says dead letters. */
export function isDeadLetterName(topic: string): boolean {
  return NAME_WORD.test(topic) || NAME_PHRASE.test(topic);
}

/** A record's headers as text: key, and the UTF-8 value (null for a null value). */
export type HeaderPairs = readonly (readonly [string, string | null])[];

/** The origin header of one record and the topic it names, or null. */
export function originOf(headers: HeaderPairs): { header: string; topic: string } | null {
  let best: { header: string; topic: string; rank: number } | null = null;
  for (const [key, value] of headers) {
    const rank = ORIGIN_RANK.get(key.toLowerCase());
    if (rank === undefined || value === null) continue;
    const topic = value.trim();
    if (!TOPIC_NAME.test(topic)) continue;
    if (!best || rank < best.rank) best = { header: key, topic, rank };
  }
  return best && { header: best.header, topic: best.topic };
}

export interface DeadLetterInput {
  topic: string;
  /** Headers of the records looked at (the newest few hundred). */
  records: readonly HeaderPairs[];
  /** Topics with a `deadLetters` edge into this one in the cluster's topology. */
  topologyOriginals: readonly string[];
}

/** Whether `topic` is a dead-letter topic, why, and where its records came from; null when nothing says so. */
export function detectDeadLetter(input: DeadLetterInput): DeadLetterInfo | null {
  const counts = new Map<string, number>();
  const headerUse = new Map<string, number>();
  for (const headers of input.records) {
    const origin = originOf(headers);
    if (!origin || origin.topic === input.topic) continue;
    counts.set(origin.topic, (counts.get(origin.topic) ?? 0) + 1);
    headerUse.set(origin.header, (headerUse.get(origin.header) ?? 0) + 1);
  }
  const evidence: DeadLetterInfo['evidence'] = [];
  if (isDeadLetterName(input.topic)) evidence.push('name');
  if (counts.size > 0) evidence.push('headers');
  const topology = [...new Set(input.topologyOriginals)].filter((t) => t !== input.topic);
  if (topology.length > 0) evidence.push('topology');
  if (evidence.length === 0) return null;
  // Topics only the topology names come after those the records name (count 0: no record seen says so).
  for (const t of topology) if (!counts.has(t)) counts.set(t, 0);
  const originals = [...counts.entries()]
    .map(([topic, count]) => ({ topic, count }))
    .sort((a, b) => b.count - a.count || (a.topic < b.topic ? -1 : a.topic > b.topic ? 1 : 0));
  const originHeader = [...headerUse.entries()].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))[0]?.[0] ?? null;
  return { topic: input.topic, evidence, originals, originHeader };
}

/** The CEL filter a redrive of one original topic uses: only the dead letters that came from it. */
export function redriveFilter(originHeader: string, original: string): string {
  return `headers[${JSON.stringify(originHeader)}] == ${JSON.stringify(original)}`;
}
