import type { NodeKind, TopologyNode } from '../contract/topology';

const KIND_LABEL: Record<NodeKind, [one: string, many: string]> = {
  service: ['service', 'services'],
  client: ['client', 'clients'],
  topic: ['topic', 'topics'],
  consumerGroup: ['consumer group', 'consumer groups'],
  connector: ['connector', 'connectors'],
  streamApp: ['streams app', 'streams apps'],
  externalSystem: ['external system', 'external systems'],
  unknownProducer: ['unknown writer', 'unknown writers'],
};

export function kindLabel(kind: NodeKind, count = 1): string {
  return KIND_LABEL[kind][count === 1 ? 0 : 1];
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);
const str = (v: unknown): string | null => (typeof v === 'string' && v !== '' ? v : null);

/**
 * The short second line of a node on the map: what kind of thing it is and the one or two facts an engineer looks
 * for first (a group's members, a topic's partitions, a connector's state). Built from the node's detail only.
 */
export function nodeFacts(node: Pick<TopologyNode, 'kind' | 'detail'>): string {
  const d = node.detail;
  const parts: string[] = [kindLabel(node.kind)];
  switch (node.kind) {
    case 'topic': {
      const partitions = num(d.partitions);
      if (partitions !== null) parts.push(plural(partitions, 'partition'));
      break;
    }
    case 'consumerGroup': {
      parts[0] = 'group'; // the icon and the column say "consumer"; the box has little room
      const members = num(d.members);
      if (members !== null) parts.push(plural(members, 'member'));
      const state = str(d.state);
      if (state) parts.push(state);
      break;
    }
    case 'service':
    case 'streamApp': {
      const instances = num(d.instances);
      if (instances !== null) parts.push(plural(instances, 'instance'));
      break;
    }
    case 'connector': {
      const type = str(d.connectorType);
      if (type) parts[0] = `${type} connector`;
      const state = str(d.state);
      if (state) parts.push(state);
      const failed = num(d.failedTasks);
      if (failed) parts.push(`${failed} failed task${failed === 1 ? '' : 's'}`);
      break;
    }
    case 'unknownProducer':
      parts[0] = 'writer not identified';
      break;
    default:
      break;
  }
  return parts.join(' · ');
}
