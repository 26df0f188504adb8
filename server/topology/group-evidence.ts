import { roundTo } from '../../lib/format';
import type { EdgeMetrics, GroupPartition, GroupSummary } from '../../lib/contract';
import { edgeId, nodeId, type NodeRef } from '../../lib/topology/evidence';
import { isEphemeralGroup, serviceOfMember, type IdentityOptions } from '../../lib/topology/identity';
import type { EdgeObservation, NodeObservation } from '../store';
import { ownerRef } from './writer-ref';

export interface GroupEvidence {
  edges: EdgeObservation[];
  nodes: NodeObservation[];
  rates: Map<string, EdgeMetrics>;
  /** group id → the services its members run in (for dead-letter claims that name a group). */
  groupOwners: Map<string, NodeRef[]>;
}

const MAX_LISTED = 10;

/**
 * Consumer side (research/lineage.md §2.3): an active member with partitions of a topic assigned means the group
 * reads it now (weight 0.95); committed offsets without members mean it read it once (0.5), and that evidence is only
 * kept alive while the offsets move. Members' client ids name the service the group belongs to.
 */
export function groupEvidence(
  groups: readonly GroupSummary[],
  partitionsOf: (groupId: string) => readonly GroupPartition[] | undefined,
  now: number,
  identity: IdentityOptions,
): GroupEvidence {
  const edges: EdgeObservation[] = [];
  const nodes: NodeObservation[] = [];
  const rates = new Map<string, EdgeMetrics>();
  const groupOwners = new Map<string, NodeRef[]>();

  for (const group of groups) {
    const groupRef: NodeRef = { kind: 'consumerGroup', name: group.id };
    const owners = new Map<string, { ref: NodeRef; hidden: boolean; clients: Set<string>; hosts: Set<string> }>();
    for (const member of group.members) {
      const owner = serviceOfMember(member.clientId, group.id, identity);
      const { ref, hidden } = ownerRef(owner.kind, owner.name);
      const entry = owners.get(nodeId(ref)) ?? { ref, hidden, clients: new Set(), hosts: new Set() };
      entry.clients.add(member.clientId);
      entry.hosts.add(member.host.replace(/^\//, ''));
      owners.set(nodeId(ref), entry);
    }
    groupOwners.set(group.id, [...owners.values()].map((o) => o.ref));
    const hiddenGroup = isEphemeralGroup(group.id) || (owners.size > 0 && [...owners.values()].every((o) => o.hidden));
    nodes.push({
      node: groupRef,
      seenAt: now,
      detail: { type: group.type, protocolType: group.protocolType, state: group.state, members: group.members.length, status: group.status, hidden: hiddenGroup },
    });
    for (const owner of owners.values()) {
      nodes.push({ node: owner.ref, seenAt: now, detail: { hidden: owner.hidden } });
      edges.push({
        span: {
          edgeKind: 'memberOf',
          from: groupRef,
          to: owner.ref,
          source: 'observed.groupAssignment',
          key: 'members',
          weight: 0.95,
          detail: { clients: [...owner.clients].sort().slice(0, MAX_LISTED), hosts: [...owner.hosts].sort().slice(0, MAX_LISTED), instances: owner.clients.size },
        },
        seenAt: now,
      });
    }

    const assigned = new Map<string, number>();
    for (const member of group.members) {
      for (const a of member.assignments) assigned.set(a.topic, (assigned.get(a.topic) ?? 0) + a.partitions.length);
    }
    for (const [topic, partitions] of assigned) {
      edges.push({
        span: { edgeKind: 'consumes', from: { kind: 'topic', name: topic }, to: groupRef, source: 'observed.groupAssignment', key: 'assignment', weight: 0.95, detail: { partitions, members: group.members.length } },
        seenAt: now,
      });
    }

    const byTopic = new Map<string, { committed: number; rate: number | null; moving: boolean }>();
    for (const p of partitionsOf(group.id) ?? []) {
      if (p.committed === null) continue;
      const entry = byTopic.get(p.topic) ?? { committed: 0, rate: null, moving: false };
      entry.committed += 1;
      if (p.consumeRate !== null) entry.rate = (entry.rate ?? 0) + p.consumeRate;
      if ((p.consumeRate ?? 0) > 0) entry.moving = true;
      byTopic.set(p.topic, entry);
    }
    for (const [topic, c] of byTopic) {
      const from: NodeRef = { kind: 'topic', name: topic };
      edges.push({
        span: { edgeKind: 'consumes', from, to: groupRef, source: 'observed.committedOffset', key: 'commits', weight: 0.5, detail: { partitionsCommitted: c.committed } },
        seenAt: now,
        // Offsets that sit still prove a past read, not a current one: record them, but only movement keeps them alive.
        extend: c.moving,
      });
      rates.set(edgeId('consumes', from, groupRef), { messagesPerSec: c.rate === null ? null : roundTo(c.rate, 3), bytesPerSec: null, method: 'committedOffsets' });
    }
  }
  return { edges, nodes, rates, groupOwners };
}

