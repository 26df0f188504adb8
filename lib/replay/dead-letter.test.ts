import { describe, expect, it } from 'vitest';
import { detectDeadLetter, isDeadLetterName, originOf, redriveFilter } from './dead-letter';

describe('dead-letter recognition', () => {
  it('recognises dead-letter names and not ordinary ones', () => {
    for (const t of ['orders.dlq', 'orders-dlq', 'orders_dlq', 'orders.DLT', 'orders-dlt', 'dlq.orders', 'orders.dead-letter', 'orders-deadletter', 'dead_letter_orders', 'DeadLetter.orders', 'a.DLQ.b']) {
      expect(isDeadLetterName(t), t).toBe(true);
    }
    for (const t of ['orders', 'orders.error', 'orders-errors', 'dlqueue', 'handle', 'idltx', 'dead-orders', 'letters']) {
      expect(isDeadLetterName(t), t).toBe(false);
    }
  });

  it('reads the origin from Spring, Connect, SmallRye, Karafka and generic headers (case-insensitive)', () => {
    expect(originOf([['kafka_dlt-original-topic', 'orders']])).toEqual({ header: 'kafka_dlt-original-topic', topic: 'orders' });
    expect(originOf([['__connect.errors.topic', 'payments']])).toEqual({ header: '__connect.errors.topic', topic: 'payments' });
    expect(originOf([['X-Original-Topic', 'a']])).toEqual({ header: 'X-Original-Topic', topic: 'a' });
    expect(originOf([['dead-letter-topic', 'b']])?.topic).toBe('b');
    expect(originOf([['original_topic', 'c']])?.topic).toBe('c');
    expect(originOf([['traceparent', 'x'], ['dlq-original-topic', 'd']])?.topic).toBe('d');
    // The most specific header wins when a record carries several (Spring copied an older generic one).
    expect(originOf([['x-original-topic', 'old'], ['kafka_dlt-original-topic', 'orders']])).toEqual({ header: 'kafka_dlt-original-topic', topic: 'orders' });
    // Garbage is not a topic name.
    expect(originOf([['kafka_dlt-original-topic', 'not a topic!']])).toBeNull();
    expect(originOf([['kafka_dlt-original-topic', null]])).toBeNull();
    expect(originOf([])).toBeNull();
  });

  it('counts originals from the headers, most frequent first, and names the header', () => {
    const spring = (t: string) => [['kafka_dlt-original-topic', t], ['kafka_dlt-original-partition', '0']] as const;
    const info = detectDeadLetter({ topic: 'failures', records: [spring('orders'), spring('payments'), spring('orders'), [], [['x', 'y']]], topologyOriginals: [] });
    expect(info).toEqual({ topic: 'failures', evidence: ['headers'], originals: [{ topic: 'orders', count: 2 }, { topic: 'payments', count: 1 }], originHeader: 'kafka_dlt-original-topic' });
  });

  it('combines name, headers and topology evidence; topology-only originals come last with count 0', () => {
    const info = detectDeadLetter({ topic: 'orders.DLT', records: [[['__connect.errors.topic', 'orders']]], topologyOriginals: ['orders', 'legacy-orders', 'orders.DLT'] });
    expect(info?.evidence).toEqual(['name', 'headers', 'topology']);
    expect(info?.originals).toEqual([{ topic: 'orders', count: 1 }, { topic: 'legacy-orders', count: 0 }]);
    expect(info?.originHeader).toBe('__connect.errors.topic');
  });

  it('answers by name alone with no originals, and null for an ordinary topic', () => {
    expect(detectDeadLetter({ topic: 'orders-dlq', records: [], topologyOriginals: [] })).toEqual({ topic: 'orders-dlq', evidence: ['name'], originals: [], originHeader: null });
    expect(detectDeadLetter({ topic: 'orders', records: [[['content-type', 'json']]], topologyOriginals: [] })).toBeNull();
    // A record naming the topic itself as its origin is no evidence.
    expect(detectDeadLetter({ topic: 'orders', records: [[['x-original-topic', 'orders']]], topologyOriginals: [] })).toBeNull();
  });

  it('builds a CEL redrive filter with quoted names', () => {
    expect(redriveFilter('kafka_dlt-original-topic', 'orders')).toBe('headers["kafka_dlt-original-topic"] == "orders"');
  });
});
