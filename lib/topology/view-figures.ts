import type { GroupStatus } from '../contract/groups';
import type { Drift, EdgeState, Topology, TopologyEdge, TopologyNode } from '../contract/topology';
import { STATUS_SEVERITY, statusLevel } from '../lag/group-status';
import { finiteOrNull, maxKnown, sumKnown } from '../lag/known';
import { compareStrings } from '../compare';
import type { ViewGraph } from './collapse';

/**
 * Health levels and the figures the map shows on its nodes and edges, for plain and collapsed view nodes alike.
 * Unknown numbers are null, never NaN: a sum or max over members that are all unknown stays null.
 */

export type HealthLevel = 'ok' | 'warn' | 'critical' | 'unknown';

/** Worst first: use it for "worst of". */
export const HEALTH_ORDER: HealthLevel[] = ['critical', 'warn', 'unknown', 'ok'];
const HEALTH_RANK: Record<HealthLevel, number> = { critical: 0, warn: 1, unknown: 2, ok: 3 };

/** From a group status via statusLevel: ERR→critical, WARN→warn, OK→ok, EVALUATING/NOTFOUND(null)→unknown. */
export function healthOfStatus(status: GroupStatus | null): HealthLevel {
  switch (statusLevel(status)) {
    case 'ERR':
      return 'critical';
    case 'WARN':
      return 'warn';
    case 'OK':
      return 'ok';
    default:
      return 'unknown';
  }
}

/** The worst level by HEALTH_ORDER; 'unknown' when there is none. */
export function worstHealth(levels: Iterable<HealthLevel>): HealthLevel {
  let worst: HealthLevel | null = null;
  for (const level of levels) {
    if (worst === null || HEALTH_RANK[level] < HEALTH_RANK[worst]) worst = level;
    if (worst === 'critical') break;
  }
  return worst ?? 'unknown';
}

/** Worst health of a view node's members; a member missing from `health` counts as unknown. */
export function membersHealth(members: readonly string[], health: ReadonlyMap<string, HealthLevel>): HealthLevel {
  return worstHealth(members.map((id) => health.get(id) ?? 'unknown'));
}

/** service id → ids of the consumer groups that are memberOf it. */
function groupsByService(topology: Pick<Topology, 'nodes' | 'edges'>, nodeById: ReadonlyMap<string, TopologyNode>): Map<string, string[]> {
  const result = new Map<string, string[]>();
  for (const e of topology.edges) {
    if (e.kind !== 'memberOf' || nodeById.get(e.from)?.kind !== 'consumerGroup' || nodeById.get(e.to)?.kind !== 'service') continue;
    const list = result.get(e.to);
    if (list) list.push(e.from);
    else result.set(e.to, [e.from]);
  }
  return result;
}

/** Health of every topology node: groups from health.status; a service = worst of the groups that are memberOf it (unknown if none); other kinds 'unknown'. */
export function nodeHealthLevels(topology: Pick<Topology, 'nodes' | 'edges'>): Map<string, HealthLevel> {
  const nodeById = new Map<string, TopologyNode>();
  for (const node of topology.nodes) nodeById.set(node.id, node);
  const levels = new Map<string, HealthLevel>();
  for (const node of topology.nodes) {
    if (node.kind === 'consumerGroup') levels.set(node.id, healthOfStatus(node.health?.status ?? null));
  }
  const groups = groupsByService(topology, nodeById);
  for (const node of topology.nodes) {
    if (node.kind === 'consumerGroup') continue;
    const memberGroups = node.kind === 'service' ? groups.get(node.id) : undefined;
    levels.set(node.id, memberGroups ? worstHealth(memberGroups.map((g) => levels.get(g) ?? 'unknown')) : 'unknown');
  }
  return levels;
}

export interface NodeFigures {
  health: HealthLevel;
  /** Sum over the members of the node's own kind (a service that absorbed its groups shows its produce rate). */
  messagesPerSec: number | null;
  /** Sum of the groups' lag: the node's own group(s), and for services the groups that are memberOf them. */
  lag: number | null;
  /** Max over the same groups. */
  lagSeconds: number | null;
  /** Worst status (by STATUS_SEVERITY) over the same groups; null when none has one. */
  status: GroupStatus | null;
  /** The reason of the group with that status. */
  statusReason: string | null;
  /** Sum over the topic members. */
  unattributedPerSec: number | null;
  /** How many members are of the node's own kind: 1 for a plain node, N for `orders.*` (folded groups do not count). */
  memberCount: number;
}

export interface EdgeFigures {
  messagesPerSec: number | null;
  state: EdgeState;
  confidence: number;
  drift: Drift;
}

/** Most live first. */
const STATE_RANK: Record<EdgeState, number> = { live: 0, recent: 1, stale: 2, declaredOnly: 3 };
/** When merged edges disagree, the most telling drift wins: declared-but-unseen, then undeclared, then confirmed. */
const DRIFT_RANK: Record<Exclude<Drift, null>, number> = { declaredOnly: 0, observedOnly: 1, confirmed: 2 };
const SEVERITY = new Map<GroupStatus, number>(STATUS_SEVERITY.map((status, i) => [status, i]));

/**
 * Figures for every view node/edge; collapsed ones aggregate their members (rates and lag summed, lagSeconds max,
 * health worst, state the most live: live>recent>stale>declaredOnly, confidence max). A service's lag = sum of its
 * groups' lag, lagSeconds = max. Members missing from the topology are skipped.
 */
export function viewFigures(
  topology: Pick<Topology, 'nodes' | 'edges'>,
  view: ViewGraph,
  health: ReadonlyMap<string, HealthLevel>,
): { nodes: Map<string, NodeFigures>; edges: Map<string, EdgeFigures> } {
  const nodeById = new Map<string, TopologyNode>();
  for (const node of topology.nodes) nodeById.set(node.id, node);
  const edgeById = new Map<string, TopologyEdge>();
  for (const edge of topology.edges) edgeById.set(edge.id, edge);
  const groupsOf = groupsByService(topology, nodeById);

  const nodes = new Map<string, NodeFigures>();
  for (const viewNode of view.nodes) {
    const rates: (number | null)[] = [];
    const unattributed: (number | null)[] = [];
    const groupIds = new Set<string>();
    let memberCount = 0;
    for (const id of viewNode.members) {
      const node = nodeById.get(id);
      if (!node) continue;
      if (node.kind === viewNode.kind) {
        memberCount += 1;
        rates.push(node.metrics.messagesPerSec);
      }
      unattributed.push(node.metrics.unattributedPerSec);
      if (node.kind === 'consumerGroup') groupIds.add(id);
      else if (node.kind === 'service') for (const g of groupsOf.get(id) ?? []) groupIds.add(g);
    }
    const lags: (number | null)[] = [];
    const lagSeconds: (number | null)[] = [];
    let status: GroupStatus | null = null;
    let statusReason: string | null = null;
    for (const id of [...groupIds].sort(compareStrings)) {
      const groupHealth = nodeById.get(id)?.health;
      if (!groupHealth) continue;
      lags.push(groupHealth.lag);
      lagSeconds.push(groupHealth.lagSeconds);
      const severity = groupHealth.status === null ? undefined : SEVERITY.get(groupHealth.status);
      if (severity !== undefined && (status === null || severity > (SEVERITY.get(status) ?? -1))) {
        status = groupHealth.status;
        statusReason = groupHealth.statusReason;
      }
    }
    nodes.set(viewNode.id, {
      health: membersHealth(viewNode.members, health),
      messagesPerSec: sumKnown(rates),
      lag: sumKnown(lags),
      lagSeconds: maxKnown(lagSeconds),
      status,
      statusReason,
      unattributedPerSec: sumKnown(unattributed),
      memberCount,
    });
  }

  const edges = new Map<string, EdgeFigures>();
  for (const viewEdge of view.edges) {
    const rates: (number | null)[] = [];
    let state: EdgeState | null = null;
    let confidence = 0;
    let drift: Drift = null;
    for (const id of viewEdge.members) {
      const edge = edgeById.get(id);
      if (!edge) continue;
      rates.push(edge.metrics.messagesPerSec);
      if (state === null || STATE_RANK[edge.state] < STATE_RANK[state]) state = edge.state;
      const c = finiteOrNull(edge.confidence);
      if (c !== null && c > confidence) confidence = c;
      if (edge.drift !== null && (drift === null || DRIFT_RANK[edge.drift] < DRIFT_RANK[drift])) drift = edge.drift;
    }
    edges.set(viewEdge.id, { messagesPerSec: sumKnown(rates), state: state ?? 'declaredOnly', confidence, drift });
  }
  return { nodes, edges };
}
