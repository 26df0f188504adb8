import { describe, expect, it } from 'vitest';
import { interpretHeaders, type RecordHeader } from './headers';

const TRACEPARENT = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01';

/** A CloudEvents binary-mode record as order-service writes it. */
const ORDER_PLACED: RecordHeader[] = [
  { key: 'ce_specversion', value: '1.0' },
  { key: 'ce_id', value: '7c9e6679-7425-40de-944b-e07fc1f90ae7' },
  { key: 'ce_source', value: '//acme.io/orders/order-service' },
  { key: 'ce_type', value: 'io.acme.orders.OrderPlaced' },
  { key: 'ce_time', value: '2025-03-14T09:26:53.589Z' },
  { key: 'content-type', value: 'application/json' },
  { key: 'traceparent', value: TRACEPARENT },
  { key: '__TypeId__', value: 'io.acme.orders.events.OrderPlaced' },
];

/** Spring's DeadLetterPublishingRecoverer output for a record inventory-service failed on: originals first, DLT headers appended. */
const SPRING_DLT: RecordHeader[] = [
  ...ORDER_PLACED,
  { key: 'kafka_dlt-exception-fqcn', value: 'org.springframework.kafka.listener.ListenerExecutionFailedException' },
  { key: 'kafka_dlt-exception-cause-fqcn', value: 'java.lang.IllegalStateException' },
  { key: 'kafka_dlt-exception-message', value: 'Listener method threw exception: SKU 4411 unknown' },
  { key: 'kafka_dlt-original-topic', value: 'orders' },
  { key: 'kafka_dlt-original-partition', value: '0x00000003' },
  { key: 'kafka_dlt-original-offset', value: '0x0000000000012a4f' },
  { key: 'kafka_dlt-original-timestamp', value: '0x00000195942b6e35' },
  { key: 'kafka_dlt-original-timestamp-type', value: 'CreateTime' },
  { key: 'kafka_dlt-original-consumer-group', value: 'inventory-service' },
];

/** Connect DLQ record of the es-sink-orders sink connector (errors.deadletterqueue.context.headers.enable=true). */
const CONNECT_DLQ: RecordHeader[] = [
  { key: 'ce_source', value: '/order-service' },
  { key: '__connect.errors.topic', value: 'orders' },
  { key: '__connect.errors.partition', value: '2' },
  { key: '__connect.errors.offset', value: '74211' },
  { key: '__connect.errors.connector.name', value: 'es-sink-orders' },
  { key: '__connect.errors.task.id', value: '0' },
  { key: '__connect.errors.stage', value: 'VALUE_CONVERTER' },
  { key: '__connect.errors.class.name', value: 'org.apache.kafka.connect.json.JsonConverter' },
  { key: '__connect.errors.exception.class.name', value: 'org.apache.kafka.connect.errors.DataException' },
  { key: '__connect.errors.exception.message', value: 'Converting byte[] to Kafka Connect data failed due to serialization error' },
];

/** A Debezium 3.x change event. */
const DEBEZIUM: RecordHeader[] = [
  { key: '__debezium.context.connectorLogicalName', value: 'inventory-db' },
  { key: '__debezium.context.taskId', value: '0' },
  { key: '__debezium.context.connectorName', value: 'inventory-cdc' },
];

describe('interpretHeaders: CloudEvents', () => {
  it('binary mode: ce_source claim, event facts, trace context, Spring type id', () => {
    const f = interpretHeaders(ORDER_PLACED);
    expect(f.cloudEvents).toBe('binary');
    expect(f.eventType).toBe('io.acme.orders.OrderPlaced');
    expect(f.eventId).toBe('7c9e6679-7425-40de-944b-e07fc1f90ae7');
    expect(f.causationId).toBeNull();
    expect(f.typeId).toBe('io.acme.orders.events.OrderPlaced');
    expect(f.traceparent).toBe(true);
    expect(f.deadLetter).toBeNull();
    expect(f.connector).toBeNull();
    expect(f.claims).toEqual([
      { service: 'order-service', via: 'ce_source', headerKey: 'ce_source', raw: '//acme.io/orders/order-service', weight: 0.6, inherited: false, kind: 'service' },
    ]);
  });

  it('ce_ keys match case-insensitively; causation id links to the upstream event', () => {
    const f = interpretHeaders([
      { key: 'CE_SPECVERSION', value: '1.0' },
      { key: 'Ce_Id', value: 'b1e2-shipment-88' },
      { key: 'ce_Source', value: '/shipping-service' },
      { key: 'ce_type', value: 'io.acme.shipping.ShipmentCreated' },
      { key: 'ce_causationid', value: '7c9e6679-7425-40de-944b-e07fc1f90ae7' },
    ]);
    expect(f.cloudEvents).toBe('binary');
    expect(f.causationId).toBe('7c9e6679-7425-40de-944b-e07fc1f90ae7');
    expect(f.claims[0]).toMatchObject({ service: 'shipping-service', headerKey: 'ce_Source' });
  });

  it('ce_source without the other mandatory headers is still a claim, but not a CloudEvent', () => {
    const f = interpretHeaders([{ key: 'ce_source', value: 'urn:com:acme:billing' }]);
    expect(f.cloudEvents).toBeNull();
    expect(f.claims).toEqual([expect.objectContaining({ service: 'billing', via: 'ce_source', weight: 0.6 })]);
  });

  it('structured mode: source from the parsed value', () => {
    const f = interpretHeaders(
      [{ key: 'content-type', value: 'application/cloudevents+json; charset=UTF-8' }],
      { source: 'https://acme.io/svc/payments', type: 'io.acme.payments.PaymentCaptured', id: 'pay-2291' },
    );
    expect(f.cloudEvents).toBe('structured');
    expect(f.eventType).toBe('io.acme.payments.PaymentCaptured');
    expect(f.eventId).toBe('pay-2291');
    expect(f.claims).toEqual([
      { service: 'payments', via: 'ce_source_structured', headerKey: 'source', raw: 'https://acme.io/svc/payments', weight: 0.6, inherited: false, kind: 'service' },
    ]);
  });

  it('overrides apply to ce_source', () => {
    const f = interpretHeaders(ORDER_PLACED, null, { overrides: [{ match: '/^\\/\\/acme\\.io\\/orders\\//', service: 'orders' }] });
    expect(f.claims[0]?.service).toBe('orders');
  });
});

describe('interpretHeaders: service headers', () => {
  it('configured keys, case-insensitive, weight 0.6, overrides apply', () => {
    const headers: RecordHeader[] = [
      { key: 'X-Service', value: 'checkout-api' },
      { key: 'app-name', value: 'legacy-cart' },
      { key: 'ce_source', value: '/checkout-api' },
    ];
    const f = interpretHeaders(headers, null, {
      serviceHeaders: ['x-service', 'APP-NAME', 'ce_source', 'missing'],
      overrides: [{ match: 'legacy-cart', service: 'cart-service' }],
    });
    expect(f.claims.map((c) => [c.via, c.service, c.headerKey, c.weight])).toEqual([
      ['ce_source', 'checkout-api', 'ce_source', 0.6],
      ['service_header', 'checkout-api', 'X-Service', 0.6],
      ['service_header', 'cart-service', 'app-name', 0.6],
    ]);
  });
});

describe('interpretHeaders: Spring dead-letter topics', () => {
  it('the failing group wrote the record; copied ce_source is inherited', () => {
    const f = interpretHeaders(SPRING_DLT);
    expect(f.deadLetter).toEqual({
      framework: 'spring',
      originalTopic: 'orders',
      originalPartition: 3,
      originalGroup: 'inventory-service',
      connector: null,
      exception: 'org.springframework.kafka.listener.ListenerExecutionFailedException',
    });
    expect(f.claims).toEqual([
      { service: 'inventory-service', via: 'spring_dlt', headerKey: 'kafka_dlt-original-consumer-group', raw: 'inventory-service', weight: 0.8, inherited: false, kind: 'service' },
      { service: 'order-service', via: 'ce_source', headerKey: 'ce_source', raw: '//acme.io/orders/order-service', weight: 0.2, inherited: true, kind: 'service' },
    ]);
    // Event facts of the original event are still reported.
    expect(f.eventId).toBe('7c9e6679-7425-40de-944b-e07fc1f90ae7');
    expect(f.cloudEvents).toBe('binary');
  });

  it('group overrides apply; the partition may come as text', () => {
    const f = interpretHeaders(
      [
        { key: 'kafka_dlt-original-topic', value: 'payments' },
        { key: 'kafka_dlt-original-partition', value: '11' },
        { key: 'kafka_dlt-original-consumer-group', value: 'payments-settlement' },
      ],
      null,
      { overrides: [{ match: 'payments-settlement', service: 'settlement' }] },
    );
    expect(f.deadLetter?.originalPartition).toBe(11);
    expect(f.claims[0]).toMatchObject({ service: 'settlement', via: 'spring_dlt', weight: 0.8 });
  });

  it('partition as raw big-endian bytes passed through as characters', () => {
    const f = interpretHeaders([{ key: 'kafka_dlt-original-partition', value: '\u0000\u0000\u0000\u0007' }]);
    expect(f.deadLetter?.originalPartition).toBe(7);
  });

  it('without the consumer-group header (older Spring) there is no DLT claim, but copies are still inherited', () => {
    const f = interpretHeaders([
      { key: 'x-service', value: 'order-service' },
      { key: 'kafka_dlt-original-topic', value: 'orders' },
      { key: 'kafka_dlt-exception-fqcn', value: 'org.springframework.kafka.listener.ListenerExecutionFailedException' },
    ], null, { serviceHeaders: ['x-service'] });
    expect(f.deadLetter?.originalGroup).toBeNull();
    expect(f.claims).toEqual([expect.objectContaining({ via: 'service_header', service: 'order-service', weight: 0.2, inherited: true })]);
  });
});

describe('interpretHeaders: Kafka Connect DLQ', () => {
  it('the sink connector wrote the record', () => {
    const f = interpretHeaders(CONNECT_DLQ);
    expect(f.deadLetter).toEqual({
      framework: 'connect',
      originalTopic: 'orders',
      originalPartition: 2,
      originalGroup: null,
      connector: 'es-sink-orders',
      exception: 'org.apache.kafka.connect.errors.DataException',
    });
    expect(f.claims).toEqual([
      { service: 'es-sink-orders', via: 'connect_dlq', headerKey: '__connect.errors.connector.name', raw: 'es-sink-orders', weight: 0.8, inherited: false, kind: 'connector' },
      { service: 'order-service', via: 'ce_source', headerKey: 'ce_source', raw: '/order-service', weight: 0.2, inherited: true, kind: 'service' },
    ]);
  });

  it('a Spring DLT of a Connect DLQ record: the family appended last is the writer', () => {
    const f = interpretHeaders([
      ...CONNECT_DLQ,
      { key: 'kafka_dlt-original-topic', value: 'orders-dlq' },
      { key: 'kafka_dlt-original-consumer-group', value: 'dlq-replayer' },
    ]);
    expect(f.deadLetter?.framework).toBe('spring');
    expect(f.claims.map((c) => [c.via, c.service, c.weight, c.inherited])).toEqual([
      ['spring_dlt', 'dlq-replayer', 0.8, false],
      ['connect_dlq', 'es-sink-orders', 0.2, true],
      ['ce_source', 'order-service', 0.2, true],
    ]);
  });
});

describe('interpretHeaders: Debezium', () => {
  it('names the source connector', () => {
    const f = interpretHeaders(DEBEZIUM);
    expect(f.connector).toEqual({ name: 'inventory-cdc', task: '0', logicalName: 'inventory-db' });
    expect(f.claims).toEqual([
      { service: 'inventory-cdc', via: 'debezium', headerKey: '__debezium.context.connectorName', raw: 'inventory-cdc', weight: 0.8, inherited: false, kind: 'connector' },
    ]);
  });

  it('a plugin name in connectorName (older Debezium) gives way to the logical name', () => {
    const f = interpretHeaders([
      { key: '__debezium.context.connectorLogicalName', value: 'dbserver1' },
      { key: '__debezium.context.taskId', value: '0' },
      { key: '__debezium.context.connectorName', value: 'postgresql' },
    ]);
    expect(f.connector).toEqual({ name: 'dbserver1', task: '0', logicalName: 'dbserver1' });
    expect(f.claims[0]).toMatchObject({ service: 'dbserver1', headerKey: '__debezium.context.connectorLogicalName' });
  });

  it('framework claims outrank an outbox ce_source; keys are case-sensitive for frameworks', () => {
    const f = interpretHeaders([...DEBEZIUM, { key: 'ce_source', value: '/order-service' }, { key: '__DEBEZIUM.context.connectorName', value: 'spoof' }]);
    expect(f.claims.map((c) => c.via)).toEqual(['debezium', 'ce_source']);
    expect(f.claims[0]?.service).toBe('inventory-cdc');
  });
});

describe('interpretHeaders: garbage', () => {
  it('duplicate keys: the first wins', () => {
    const f = interpretHeaders([
      { key: 'ce_source', value: '/order-service' },
      { key: 'ce_source', value: '/attacker' },
      { key: 'CE_SOURCE', value: '/other' },
    ]);
    expect(f.claims).toHaveLength(1);
    expect(f.claims[0]?.service).toBe('order-service');
  });

  it('hex values are decoded when they are UTF-8 text, ignored as names otherwise', () => {
    const hex = (s: string) => `0x${[...new TextEncoder().encode(s)].map((b) => b.toString(16).padStart(2, '0')).join('')}`;
    expect(interpretHeaders([{ key: 'ce_source', value: hex('/ledger') }]).claims[0]?.service).toBe('ledger');
    expect(interpretHeaders([{ key: 'ce_source', value: '0xc328ff00' }]).claims).toEqual([]);
    // A binary id is kept as given.
    expect(interpretHeaders([{ key: 'ce_id', value: '0xdeadbeef' }]).eventId).toBe('0xdeadbeef');
  });

  it('never throws on nulls, huge values, control characters, malformed entries', () => {
    const junk = [
      { key: 'ce_source', value: null },
      { key: 'x-service', value: 'a'.repeat(1_000_000) },
      { key: 'kafka_dlt-original-partition', value: '0xzz' },
      { key: 'kafka_dlt-original-consumer-group', value: 'bad\u0000name' },
      { key: 'traceparent', value: 'not-a-trace' },
      null,
      { key: 42, value: 'x' },
      { value: 'no key' },
    ] as unknown as RecordHeader[];
    const f = interpretHeaders(junk, { source: 5, type: null, id: null } as never, { serviceHeaders: ['x-service'] });
    expect(f.claims).toEqual([]);
    expect(f.deadLetter).toMatchObject({ framework: 'spring', originalPartition: null, originalGroup: null });
    expect(f.traceparent).toBe(false);
    expect(f.cloudEvents).toBeNull();
    expect(interpretHeaders(undefined as never).claims).toEqual([]);
    expect(interpretHeaders([]).claims).toEqual([]);
  });
});
