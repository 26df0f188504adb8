import { describe, expect, it } from 'vitest';
import {
  classifyClientId,
  isEphemeralGroup,
  isTopologClientId,
  matchOverride,
  normalizeClientId,
  serviceFromSource,
  serviceFromTransactionalId,
  serviceOfMember,
} from './identity';

const PROCESS_UUID = '3f2a1b4c-5d6e-7f80-9a1b-2c3d4e5f6a7b';

describe('normalizeClientId', () => {
  it('strips Kubernetes Deployment pod suffixes (pod-template-hash + random suffix)', () => {
    expect(normalizeClientId('email-service-7d9f8b6c4-x2kq9')).toBe('email-service');
    expect(normalizeClientId('email-service-5c6b7d8f9-abcde')).toBe('email-service');
    expect(normalizeClientId('orders-api-v3-66b6c48dd5-7xkzq')).toBe('orders-api-v3');
    // A pod-template-hash without a digit (Kubernetes' alphabet makes one about 1 run in 17): the suffix has one.
    // Seen in an e2e run as the service "analytics-service-ct…" beside analytics-service.
    expect(normalizeClientId('analytics-service-ctbxzqwrt-k8t2x')).toBe('analytics-service');
  });

  it('strips CronJob and DaemonSet pod suffixes only when they look random', () => {
    expect(normalizeClientId('invoice-export-28391040-v4k7m')).toBe('invoice-export');
    expect(normalizeClientId('log-shipper-x2kq9')).toBe('log-shipper');
    // Five-character words (no digit, or vowels, or 0/1/3 which Kubernetes never generates) stay.
    expect(normalizeClientId('payments-admin')).toBe('payments-admin');
    // Known limit: a 5-character word in Kubernetes' alphabet with a digit is indistinguishable from a pod suffix.
    expect(normalizeClientId('media-h264x')).toBe('media');
    expect(normalizeClientId('payments-gateway2-abc12')).toBe('payments-gateway2-abc12');
  });

  it('strips StatefulSet ordinals and trailing thread / instance / pid numbers', () => {
    expect(normalizeClientId('billing-0')).toBe('billing');
    expect(normalizeClientId('ledger-writer-12')).toBe('ledger-writer');
    expect(normalizeClientId('checkout_worker_3')).toBe('checkout_worker');
    expect(normalizeClientId('pricing#1')).toBe('pricing');
    expect(normalizeClientId('notifications-api-48213')).toBe('notifications-api'); // "<app>-<pid>"
    expect(normalizeClientId('orders-listener-0-1')).toBe('orders-listener'); // Spring concurrency + Java counter
  });

  it('keeps meaningful words that contain digits', () => {
    expect(normalizeClientId('inventory-v2-service')).toBe('inventory-v2-service');
    expect(normalizeClientId('inventory-v2')).toBe('inventory-v2');
    expect(normalizeClientId('s3-archiver')).toBe('s3-archiver');
    expect(normalizeClientId('kafka-python-2.0.2')).toBe('kafka-python-2.0.2');
    expect(normalizeClientId('12345')).toBe('12345');
  });

  it('strips Kafka Streams thread and instance suffixes with the process UUID', () => {
    expect(normalizeClientId(`orders-app-${PROCESS_UUID}-StreamThread-2-producer`)).toBe('orders-app');
    expect(normalizeClientId(`orders-app-${PROCESS_UUID}-StreamThread-1-consumer`)).toBe('orders-app');
    expect(normalizeClientId(`orders-app-${PROCESS_UUID}-StreamThread-1-restore-consumer`)).toBe('orders-app');
    expect(normalizeClientId(`orders-app-${PROCESS_UUID}-StreamThread-3-0_4-producer`)).toBe('orders-app'); // EOS-alpha
    expect(normalizeClientId(`orders-app-${PROCESS_UUID}-GlobalStreamThread`)).toBe('orders-app');
    expect(normalizeClientId(`orders-app-${PROCESS_UUID}-global-consumer`)).toBe('orders-app');
    expect(normalizeClientId(`orders-app-${PROCESS_UUID}-admin`)).toBe('orders-app');
    // "-admin" without a UUID is part of a name.
    expect(normalizeClientId('billing-admin')).toBe('billing-admin');
  });

  it('strips UUIDs, container ids and @host suffixes; keeps case', () => {
    expect(normalizeClientId(`fraud-scorer-${PROCESS_UUID}`)).toBe('fraud-scorer');
    expect(normalizeClientId('OrderService-9b2c4e1f7a3d')).toBe('OrderService');
    expect(normalizeClientId('orders@ip-10-0-1-12.ec2.internal')).toBe('orders');
    expect(normalizeClientId('email-service-7d9f8b6c4-x2kq9@node-3')).toBe('email-service');
    expect(normalizeClientId(PROCESS_UUID)).toBe(''); // nothing but noise
    expect(normalizeClientId('  shipping  ')).toBe('shipping');
  });

  it('survives garbage', () => {
    expect(normalizeClientId('')).toBe('');
    expect(normalizeClientId('-'.repeat(5000))).toBe('');
    expect(normalizeClientId('a'.repeat(5000))).toHaveLength(1024);
    expect(normalizeClientId(undefined as unknown as string)).toBe('');
  });
});

describe('classifyClientId', () => {
  it('services, named by the normalized id', () => {
    expect(classifyClientId('email-service-7d9f8b6c4-x2kq9')).toEqual({ kind: 'service', name: 'email-service' });
    expect(classifyClientId('billing-0')).toEqual({ kind: 'service', name: 'billing' });
    expect(classifyClientId('inventory-v2-service')).toEqual({ kind: 'service', name: 'inventory-v2-service' });
    expect(classifyClientId('producer-api')).toEqual({ kind: 'service', name: 'producer-api' });
  });

  it('Kafka Connect task clients → connector', () => {
    expect(classifyClientId('connector-producer-pg-source-0')).toEqual({ kind: 'connector', name: 'pg-source' });
    expect(classifyClientId('connector-consumer-es-sink-orders-2')).toEqual({ kind: 'connector', name: 'es-sink-orders' });
    expect(classifyClientId('connector-dlq-producer-s3-sink-1')).toEqual({ kind: 'connector', name: 's3-sink' });
    expect(classifyClientId('connector-producer-MirrorSourceConnector-0')).toEqual({ kind: 'connector', name: 'MirrorSourceConnector' });
  });

  it('Kafka Streams clients → streamApp named by application.id', () => {
    expect(classifyClientId(`orders-app-${PROCESS_UUID}-StreamThread-2-producer`)).toEqual({ kind: 'streamApp', name: 'orders-app' });
    // application.id ending in a number: taken exactly when the UUID delimits it.
    expect(classifyClientId(`shipments-v2-${PROCESS_UUID}-StreamThread-1-consumer`)).toEqual({ kind: 'streamApp', name: 'shipments-v2' });
    // User-set client.id (a pod name) instead of the default.
    expect(classifyClientId('enricher-7d9f8b6c4-x2kq9-StreamThread-1-consumer')).toEqual({ kind: 'streamApp', name: 'enricher' });
    // Java's default client id for a transactional producer: "producer-<transactional.id>".
    expect(classifyClientId(`producer-orders-app-${PROCESS_UUID}-0`)).toEqual({ kind: 'streamApp', name: 'orders-app' });
  });

  it('CLI tools and kcat → tool', () => {
    expect(classifyClientId('console-consumer')).toEqual({ kind: 'tool', name: 'console-consumer' });
    expect(classifyClientId('console-producer')).toEqual({ kind: 'tool', name: 'console-producer' });
    expect(classifyClientId('perf-producer-client')).toEqual({ kind: 'tool', name: 'perf-producer-client' });
    expect(classifyClientId('perf-consumer-client')).toEqual({ kind: 'tool', name: 'perf-consumer-client' });
    expect(classifyClientId('rdkafka')).toEqual({ kind: 'tool', name: 'rdkafka' });
    expect(classifyClientId('kafka-console-consumer')).toEqual({ kind: 'tool', name: 'kafka-console-consumer' });
    // The console consumer without client.id gets the Java default "consumer-<its random group>-<n>".
    expect(classifyClientId('consumer-console-consumer-48213-1')).toEqual({ kind: 'tool', name: 'console-consumer' });
  });

  it('Topolog’s own clients', () => {
    expect(classifyClientId('topolog-admin')).toEqual({ kind: 'topolog', name: 'topolog-admin' });
    expect(classifyClientId('topolog-sampler-2')).toEqual({ kind: 'topolog', name: 'topolog-sampler' });
  });

  it('library defaults say nothing → generic', () => {
    for (const id of ['kafkajs', 'producer-1', 'producer-7', 'consumer-payments-1', 'consumer-3', 'adminclient-1', '', '   ', 'sarama', 'kgo', 'kafka-python-2.0.2', 'kafka-python-producer-1', PROCESS_UUID]) {
      expect(classifyClientId(id), id).toEqual({ kind: 'generic', name: null });
    }
  });

  it('overrides: exact on raw or normalized id, regex with captures, invalid regex ignored', () => {
    const overrides = [
      { match: '/[/', service: 'broken' },
      { match: 'kafkajs', service: 'legacy-gateway' },
      { match: 'email-service', service: 'notifications' },
      { match: '/^(\\w+)-worker-\\d+$/', service: '$1-service' },
      { match: '/^CHECKOUT/i', service: 'checkout' },
    ];
    expect(classifyClientId('kafkajs', { overrides })).toEqual({ kind: 'service', name: 'legacy-gateway' });
    expect(classifyClientId('email-service-7d9f8b6c4-x2kq9', { overrides })).toEqual({ kind: 'service', name: 'notifications' });
    expect(classifyClientId('billing-worker-4', { overrides })).toEqual({ kind: 'service', name: 'billing-service' });
    expect(classifyClientId('checkout_worker_3', { overrides })).toEqual({ kind: 'service', name: 'checkout' });
    expect(classifyClientId('console-consumer', { overrides })).toEqual({ kind: 'tool', name: 'console-consumer' });
    expect(matchOverride('x', [{ match: '/(a+)+$/g', service: 'x' }])).toBeNull(); // g dropped, no match, no throw
    // Paths that only look like /regex/ are exact: CloudEvents sources start with "/".
    expect(matchOverride('//example.com/orders/order-service', [{ match: '//example.com/orders/order-service', service: 'orders' }])).toBe('orders');
    expect(matchOverride('/zzz/a/q', [{ match: '/a/b', service: 'ab' }])).toBeNull();
    expect(matchOverride('/a/b', [{ match: '/a/b', service: 'ab' }])).toBe('ab');
  });
});

describe('serviceOfMember', () => {
  it('falls back to the group when the client id says nothing', () => {
    expect(serviceOfMember('consumer-payments-1', 'payments')).toEqual({ kind: 'service', name: 'payments' });
    expect(serviceOfMember('kafkajs', 'order-projector')).toEqual({ kind: 'service', name: 'order-projector' });
    expect(serviceOfMember('', 'audit-log')).toEqual({ kind: 'service', name: 'audit-log' });
  });

  it('uses the client id when it names the owner', () => {
    expect(serviceOfMember('email-service-7d9f8b6c4-x2kq9', 'email-notifications')).toEqual({ kind: 'service', name: 'email-service' });
    expect(serviceOfMember('connector-consumer-es-sink-0', 'connect-es-sink')).toEqual({ kind: 'connector', name: 'es-sink' });
  });

  it('names a Streams member by its group (= application.id)', () => {
    expect(serviceOfMember('enricher-pod-StreamThread-1-consumer', 'orders-enricher')).toEqual({ kind: 'streamApp', name: 'orders-enricher' });
  });

  it('librdkafka’s default "rdkafka" in a real group is a service, in no/ephemeral group a tool', () => {
    expect(serviceOfMember('rdkafka', 'fraud-scorer')).toEqual({ kind: 'service', name: 'fraud-scorer' });
    expect(serviceOfMember('rdkafka', 'kcat')).toEqual({ kind: 'tool', name: 'rdkafka' });
    expect(serviceOfMember('rdkafka', '')).toEqual({ kind: 'tool', name: 'rdkafka' });
  });

  it('ephemeral and Topolog groups', () => {
    expect(serviceOfMember('consumer-console-consumer-48213-1', 'console-consumer-48213')).toEqual({ kind: 'tool', name: 'console-consumer' });
    expect(serviceOfMember('producer-2', 'console-consumer-48213')).toEqual({ kind: 'tool', name: 'console-consumer-48213' });
    expect(serviceOfMember('kafkajs', 'topolog-sampler')).toEqual({ kind: 'topolog', name: 'topolog-sampler' });
    expect(serviceOfMember('producer-7', '')).toEqual({ kind: 'generic', name: 'producer-7' });
    expect(serviceOfMember('', '')).toEqual({ kind: 'generic', name: '(anonymous)' });
  });

  it('overrides on the client id first, then on the group id', () => {
    const overrides = [
      { match: 'payments', service: 'payments-core' },
      { match: '/^email-service$/', service: 'notifications' },
    ];
    expect(serviceOfMember('consumer-payments-1', 'payments', { overrides })).toEqual({ kind: 'service', name: 'payments-core' });
    expect(serviceOfMember('email-service-7d9f8b6c4-x2kq9', 'payments', { overrides })).toEqual({ kind: 'service', name: 'notifications' });
  });
});

describe('serviceFromSource', () => {
  it('takes the last path / URN segment', () => {
    expect(serviceFromSource('/signup-service')).toBe('signup-service');
    expect(serviceFromSource('//example.com/orders/order-service')).toBe('order-service');
    expect(serviceFromSource('urn:com:example:billing')).toBe('billing');
    expect(serviceFromSource('https://x.example/svc/payments')).toBe('payments');
    expect(serviceFromSource('https://x.example/svc/payments/?region=eu#v1')).toBe('payments');
    expect(serviceFromSource('order-service')).toBe('order-service');
    expect(serviceFromSource('/shipping%20labels')).toBe('shipping labels');
  });

  it('a host without a path gives the host', () => {
    expect(serviceFromSource('https://orders.example.com:8443/')).toBe('orders.example.com');
  });

  it('overrides first, null for empty', () => {
    const overrides = [
      { match: '/^\\/sensors\\//', service: 'telemetry-gateway' },
      { match: 'payments', service: 'payment-gateway' },
    ];
    expect(serviceFromSource('/sensors/tn-1234567/alerts', { overrides })).toBe('telemetry-gateway');
    expect(serviceFromSource('https://x.example/svc/payments', { overrides })).toBe('payment-gateway');
    expect(serviceFromSource('')).toBeNull();
    expect(serviceFromSource('   ')).toBeNull();
    expect(serviceFromSource('//')).toBeNull();
    expect(serviceFromSource('/x/' + 'a'.repeat(300))).toBeNull();
  });
});

describe('serviceFromTransactionalId', () => {
  it('Kafka Streams EOS-v2 and EOS-alpha → application.id', () => {
    expect(serviceFromTransactionalId(`orders-app-${PROCESS_UUID}-1`)).toBe('orders-app');
    expect(serviceFromTransactionalId('orders-app-0_3')).toBe('orders-app');
  });

  it('Connect exactly-once source tasks → connector, for known worker groups', () => {
    expect(serviceFromTransactionalId('connect-cluster-pg-source-0')).toBe('pg-source');
    expect(serviceFromTransactionalId('prod-connect-outbox-router-2', { connectGroupIds: ['prod-connect'] })).toBe('outbox-router');
  });

  it('otherwise the normalized id; overrides first', () => {
    expect(serviceFromTransactionalId('tx-orders-0')).toBe('tx-orders');
    expect(serviceFromTransactionalId('ledger-sink-0-17')).toBe('ledger-sink'); // Flink prefix-subtask-checkpoint
    expect(serviceFromTransactionalId(PROCESS_UUID)).toBe(PROCESS_UUID);
    expect(serviceFromTransactionalId('tx-orders-0', { overrides: [{ match: '/^tx-(\\w+)-\\d+$/', service: '$1' }] })).toBe('orders');
    expect(serviceFromTransactionalId(`orders-app-${PROCESS_UUID}-1`, { overrides: [{ match: 'orders-app', service: 'orders' }] })).toBe('orders');
  });
});

describe('ephemeral groups and Topolog ids', () => {
  it('hides console, perf, kcat and Topolog groups', () => {
    expect(isEphemeralGroup('console-consumer-48213')).toBe(true);
    expect(isEphemeralGroup('perf-consumer-91532')).toBe(true);
    expect(isEphemeralGroup('kcat')).toBe(true);
    expect(isEphemeralGroup('topolog-sampler')).toBe(true);
    expect(isEphemeralGroup('console-consumer-group')).toBe(false);
    expect(isEphemeralGroup('payments')).toBe(false);
    expect(isEphemeralGroup('connect-es-sink')).toBe(false);
  });

  it('recognises Topolog client ids', () => {
    expect(isTopologClientId('topolog-admin')).toBe(true);
    expect(isTopologClientId('topology-service')).toBe(false);
    expect(isTopologClientId('my-topolog-admin')).toBe(false);
  });
});
