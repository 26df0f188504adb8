/**
 * Topics Kafka and common platforms keep for themselves; hidden from the map by default.
 * Kafka's own are all "__"-prefixed (__consumer_offsets, __transaction_state, __share_group_state, ...).
 */
export function isInternalTopicName(name: string): boolean {
  return name.startsWith('__') || name === '_schemas' || name.startsWith('_confluent');
}
