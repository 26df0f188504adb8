import { protocolErrorsCodesById } from '@platformatic/kafka';

/** Kafka's name for a protocol error code ("NOT_LEADER_OR_FOLLOWER"), for logs and stale-value reasons. */
export function kafkaErrorName(code: number): string {
  return protocolErrorsCodesById[code] ?? `KAFKA_ERROR_${code}`;
}
