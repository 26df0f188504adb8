import type { MessageRecord } from '../../lib/contract';
import { toPayload } from '../../lib/messages/payload';
import type { TopicRecord } from '../kafka/record-reader';
import { HEADER_PAYLOAD_BYTES, LIST_PAYLOAD_BYTES } from './budgets';

/** A record as the browser gets it: bytes as capped base64 payloads with their detected format. */
export function toMessageRecord(r: TopicRecord, payloadBytes = LIST_PAYLOAD_BYTES): MessageRecord {
  return {
    partition: r.partition,
    offset: r.offset,
    timestamp: r.timestamp,
    timestampType: r.logAppendTime ? 'LogAppendTime' : 'CreateTime',
    key: toPayload(r.key, payloadBytes),
    value: toPayload(r.value, payloadBytes),
    headers: r.headers.map(([key, value]) => ({ key, value: toPayload(value, Math.min(payloadBytes, HEADER_PAYLOAD_BYTES)) })),
  };
}
