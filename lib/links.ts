import { nodeId } from './topology/evidence';

/** In-app addresses, built in one place so pages, the map and alerts link the same way. */
/** A cluster's view: '' is the map, '/groups', '/topics', '/alerts' the others. */
export const clusterHref = (cluster: string, path = '') => `/clusters/${encodeURIComponent(cluster)}${path}`;

export const groupHref = (cluster: string, group: string) => clusterHref(cluster, `/groups/${encodeURIComponent(group)}`);
export const topicHref = (cluster: string, topic: string) => clusterHref(cluster, `/topics/${encodeURIComponent(topic)}`);
export const alertsHref = (cluster: string) => clusterHref(cluster, '/alerts');

/** The map with a node selected and its flow in focus. */
export function mapNodeHref(cluster: string, ref: { kind: 'topic' | 'consumerGroup'; name: string }): string {
  const id = nodeId(ref);
  return `${clusterHref(cluster)}?node=${encodeURIComponent(id)}&focus=${encodeURIComponent(id)}`;
}

/** A topic's messages; `query` is the browse state (lib/messages/browse-params) without the "?". */
export const messagesHref = (cluster: string, topic: string, query = '') => `${topicHref(cluster, topic)}/messages${query ? `?${query}` : ''}`;

/** A group's offset reset (preview → confirm → result, with its history of resets below). */
export const resetHref = (cluster: string, group: string) => `${groupHref(cluster, group)}/reset`;
/** Re-produce jobs, a new one (optionally from a topic, or as the redrive of a dead-letter topic), and one job. */
export const replayHref = (cluster: string) => clusterHref(cluster, '/replay');
export function replayNewHref(cluster: string, from: { topic?: string; redrive?: boolean } = {}): string {
  const q = new URLSearchParams();
  if (from.topic) q.set('topic', from.topic);
  if (from.redrive) q.set('redrive', '1');
  const query = q.toString();
  return `${replayHref(cluster)}/new${query ? `?${query}` : ''}`;
}
export const replayJobHref = (cluster: string, jobId: string) => `${replayHref(cluster)}/${encodeURIComponent(jobId)}`;
export const auditHref = (cluster: string) => clusterHref(cluster, '/audit');
