import { z } from 'zod';
import { epochMs, maybeNumber } from './common';
import { groupStatusSchema } from './groups';

/**
 * The topology graph: who writes to and reads from every topic, with the evidence behind each edge.
 * Every edge points in the direction the data flows, so a layered layout reads left to right:
 *   writer (service | connector | streamApp | unknownProducer) --produces--> topic
 *   topic --consumes--> consumer group | sink connector
 *   consumer group --memberOf--> service | connector | streamApp   (the group's members run in that service)
 *   topic --deadLetters--> dead-letter topic                         (records that failed on the source land there)
 *   client --instanceOf--> service                                  (only when clients are asked for)
 *   externalSystem --connects--> source connector, sink connector --connects--> externalSystem
 * A service that consumes A and produces B is therefore one node: A → group → service → B.
 */
export const nodeKindSchema = z.enum(['service', 'client', 'topic', 'consumerGroup', 'connector', 'streamApp', 'externalSystem', 'unknownProducer']);
export type NodeKind = z.infer<typeof nodeKindSchema>;

export const edgeKindSchema = z.enum(['produces', 'consumes', 'memberOf', 'deadLetters', 'instanceOf', 'connects']);
export type EdgeKind = z.infer<typeof edgeKindSchema>;

/** Where a piece of evidence came from (research/lineage.md §5.1). */
export const evidenceSourceSchema = z.enum([
  'observed.groupAssignment', // an active member of the group has partitions of the topic assigned
  'observed.committedOffset', // the group has committed offsets on the topic (members or not)
  'observed.producerSession', // DescribeProducers (KIP-664): an idempotent/transactional session writes here
  'observed.transaction', // ListTransactions / DescribeTransactions name the transactional producer
  'observed.header', // a sampled record's headers name the writer (CloudEvents, service header, DLT, Debezium)
  'observed.connect', // Kafka Connect REST: connectors, tasks and their topics (KIP-558)
  'declared.asyncapi', // an AsyncAPI document says so
]);
export type EvidenceSource = z.infer<typeof evidenceSourceSchema>;

export const evidenceSchema = z.object({
  source: evidenceSourceSchema,
  /** Base confidence of this kind of evidence, 0..1, before ageing. */
  weight: z.number().min(0).max(1),
  firstSeen: epochMs,
  lastSeen: epochMs,
  /** Small facts behind it: producer id, header key and value, member client ids, document path. Never a payload. */
  detail: z.record(z.string(), z.union([z.string(), z.number(), z.boolean(), z.null(), z.array(z.string())])),
});
export type Evidence = z.infer<typeof evidenceSchema>;

/**
 * live: observed within `liveMs`; recent: within `recentMs`; stale: within `staleMs` (older edges are dropped);
 * declaredOnly: declared (AsyncAPI) but never observed within `staleMs`.
 */
export const edgeStateSchema = z.enum(['live', 'recent', 'stale', 'declaredOnly']);
export type EdgeState = z.infer<typeof edgeStateSchema>;

/** Declared vs observed. null when no declaration covers the edge's service or topic, so there is nothing to compare. */
export const driftSchema = z.enum(['confirmed', 'declaredOnly', 'observedOnly']).nullable();
export type Drift = z.infer<typeof driftSchema>;

/**
 * How an edge's rate was measured. sequence: DescribeProducers sequence deltas of its producer sessions (exact);
 * sampledShare: the topic's rate times the writer's share of recently sampled records (an estimate);
 * committedOffsets: the group's commit rate on the topic; topicRate: the whole topic's produce rate.
 */
export const rateMethodSchema = z.enum(['sequence', 'sampledShare', 'committedOffsets', 'topicRate']).nullable();

export const edgeMetricsSchema = z.object({
  messagesPerSec: maybeNumber,
  bytesPerSec: maybeNumber,
  method: rateMethodSchema,
});
export type EdgeMetrics = z.infer<typeof edgeMetricsSchema>;

export const topologyEdgeSchema = z.object({
  id: z.string(),
  kind: edgeKindSchema,
  from: z.string(),
  to: z.string(),
  state: edgeStateSchema,
  /** Noisy-OR of the aged evidence weights, 0..1. */
  confidence: z.number().min(0).max(1),
  drift: driftSchema,
  evidence: z.array(evidenceSchema),
  metrics: edgeMetricsSchema,
});
export type TopologyEdge = z.infer<typeof topologyEdgeSchema>;

/**
 * A consumer group's health at the graph's moment: the live status and figures for a live graph, the stored
 * history evaluated at `at` for a past one. null for other node kinds, and for a group nothing is known about.
 */
export const nodeHealthSchema = z.object({
  status: groupStatusSchema.nullable(),
  statusReason: z.string().nullable(),
  /** Messages behind, summed over the group's partitions. */
  lag: maybeNumber,
  /** The worst partition's lag in seconds. */
  lagSeconds: maybeNumber,
});
export type NodeHealth = z.infer<typeof nodeHealthSchema>;

export const topologyNodeSchema = z.object({
  id: z.string(),
  kind: nodeKindSchema,
  name: z.string(),
  /** Internal topics, Topolog's own clients, ephemeral tool groups: hidden unless asked for. */
  hidden: z.boolean(),
  /** Kind-specific facts: partitions, group type and state, member count, connector state, instances, producer ids. */
  detail: z.record(z.string(), z.union([z.string(), z.number(), z.boolean(), z.null(), z.array(z.string())])),
  metrics: z.object({
    /** topic: produce rate; group: consume rate; writer: sum of its produce edges. */
    messagesPerSec: maybeNumber,
    /** topic only: the part of the produce rate no known writer accounts for (non-idempotent, header-less writers). */
    unattributedPerSec: maybeNumber,
  }),
  health: nodeHealthSchema.nullable(),
});
export type TopologyNode = z.infer<typeof topologyNodeSchema>;

export const topologySchema = z.object({
  cluster: z.string(),
  /** The moment the graph describes: now, or the `at` asked for. */
  at: epochMs,
  observedAt: epochMs,
  /** True for `at` in the past: evidence and rates as stored then. */
  historical: z.boolean(),
  nodes: z.array(topologyNodeSchema),
  edges: z.array(topologyEdgeSchema),
  /** Which evidence sources ran, and why one did not (unsupported broker, not configured, an error). */
  sources: z.array(z.object({ source: z.string(), enabled: z.boolean(), lastRunAt: epochMs.nullable(), error: z.string().nullable() })),
  /** Per-cycle cost of discovery: requests and bytes read by the sampler. */
  cost: z.object({ requests: z.number().int().nonnegative(), sampledPartitions: z.number().int().nonnegative(), bytesRead: z.number().int().nonnegative() }).nullable(),
});
export type Topology = z.infer<typeof topologySchema>;

/** New figures of a node whose shape did not change: sent instead of the whole node (it would carry its detail). */
export const nodeFiguresPatchSchema = z.object({
  id: z.string(),
  messagesPerSec: maybeNumber,
  unattributedPerSec: maybeNumber,
  health: nodeHealthSchema.nullable(),
});
export type NodeFiguresPatch = z.infer<typeof nodeFiguresPatchSchema>;

/** New figures of an edge whose state and evidence did not change: sent instead of the edge and its evidence. */
export const edgeFiguresPatchSchema = z.object({
  id: z.string(),
  messagesPerSec: maybeNumber,
  bytesPerSec: maybeNumber,
  confidence: z.number().min(0).max(1),
});
export type EdgeFiguresPatch = z.infer<typeof edgeFiguresPatchSchema>;

/**
 * Live updates: changed or new nodes and edges whole, the ids of removed ones, and for nodes and edges whose only
 * change is their figures, just those. A tick where every rate moves then costs a few bytes per edge, not its evidence.
 */
export const topologyDeltaSchema = z.object({
  room: z.string(),
  seq: z.number().int().nonnegative(),
  observedAt: epochMs,
  nodes: z.object({ upsert: z.array(topologyNodeSchema), remove: z.array(z.string()) }),
  edges: z.object({ upsert: z.array(topologyEdgeSchema), remove: z.array(z.string()) }),
  figures: z.object({ nodes: z.array(nodeFiguresPatchSchema), edges: z.array(edgeFiguresPatchSchema) }),
});
export type TopologyDelta = z.infer<typeof topologyDeltaSchema>;
