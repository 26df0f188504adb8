import { nodeId } from './topology/evidence';

/** In-app addresses, built in one place so pages, the map and alerts link the same way. */
const clusterBase = (cluster: string) => `/clusters/${encodeURIComponent(cluster)}`;

export const groupHref = (cluster: string, group: string) => `${clusterBase(cluster)}/groups/${encodeURIComponent(group)}`;
export const topicHref = (cluster: string, topic: string) => `${clusterBase(cluster)}/topics/${encodeURIComponent(topic)}`;

/** The map with a node selected and its flow in focus. */
export function mapNodeHref(cluster: string, ref: { kind: 'topic' | 'consumerGroup'; name: string }): string {
  const id = nodeId(ref);
  return `${clusterBase(cluster)}?node=${encodeURIComponent(id)}&focus=${encodeURIComponent(id)}`;
}
