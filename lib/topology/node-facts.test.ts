import { describe, expect, it } from 'vitest';
import { kindLabel, nodeFacts } from './node-facts';

describe('nodeFacts', () => {
  it('says what a demo node is, from the detail the server sends', () => {
    expect(nodeFacts({ kind: 'topic', detail: { partitions: 6, replicationFactor: 1, internal: false, eventTypes: [] } })).toBe('topic · 6 partitions');
    expect(nodeFacts({ kind: 'consumerGroup', detail: { type: 'classic', protocolType: 'consumer', state: 'Stable', members: 1, status: 'OK' } })).toBe('group · 1 member · Stable');
    expect(nodeFacts({ kind: 'consumerGroup', detail: { state: 'Empty', members: 0 } })).toBe('group · 0 members · Empty');
    expect(nodeFacts({ kind: 'service', detail: { instances: 2, clients: ['a', 'b'] } })).toBe('service · 2 instances');
    expect(nodeFacts({ kind: 'connector', detail: { connectorType: 'sink', state: 'RUNNING', tasks: 2, failedTasks: 1 } })).toBe('sink connector · RUNNING · 1 failed task');
    expect(nodeFacts({ kind: 'unknownProducer', detail: {} })).toBe('writer not identified');
  });
  it('ignores detail of the wrong type instead of printing it', () => {
    expect(nodeFacts({ kind: 'topic', detail: { partitions: 'many' } })).toBe('topic');
    expect(nodeFacts({ kind: 'service', detail: {} })).toBe('service');
  });
  it('names kinds in the singular and plural', () => {
    expect(kindLabel('consumerGroup', 3)).toBe('consumer groups');
    expect(kindLabel('topic')).toBe('topic');
  });
});
