import { describe, expect, it } from 'vitest';
import type { EdgeFigures, NodeFigures } from '../../lib/topology/view';
import { createMapStore } from './map-store';

const group = (lag: number | null, status: NodeFigures['status'] = 'OK'): NodeFigures => ({
  health: status === 'OK' ? 'ok' : 'critical', messagesPerSec: 5, lag, lagSeconds: null, status, statusReason: null, unattributedPerSec: null, memberCount: 1,
});
const flow = (rate: number): EdgeFigures => ({ messagesPerSec: rate, state: 'live', confidence: 0.97, drift: null });

describe('the map store', () => {
  it('keeps the same object for every node and edge whose figures did not change, so only changed nodes re-render', () => {
    const store = createMapStore();
    store.getState().setFigures(
      new Map([['consumerGroup:email-service', group(3)], ['consumerGroup:analytics-service', group(0)]]),
      new Map([['consumes|topic:user.registered|consumerGroup:email-service', flow(6.5)]]),
      new Map([['consumerGroup:email-service', 'group · 1 member · Stable']]),
    );
    const before = store.getState();
    // The next tick: equal figures arrive as new objects (they come fresh from the wire); one group's lag moved.
    store.getState().setFigures(
      new Map([['consumerGroup:email-service', group(250, 'STOP')], ['consumerGroup:analytics-service', group(0)]]),
      new Map([['consumes|topic:user.registered|consumerGroup:email-service', flow(6.5)]]),
      new Map([['consumerGroup:email-service', 'group · 0 members · Empty']]),
    );
    const after = store.getState();
    expect(after.nodeFigures.get('consumerGroup:analytics-service')).toBe(before.nodeFigures.get('consumerGroup:analytics-service'));
    expect(after.edgeFigures.get('consumes|topic:user.registered|consumerGroup:email-service')).toBe(before.edgeFigures.get('consumes|topic:user.registered|consumerGroup:email-service'));
    expect(after.nodeFigures.get('consumerGroup:email-service')).not.toBe(before.nodeFigures.get('consumerGroup:email-service'));
    expect(after.nodeFigures.get('consumerGroup:email-service')?.status).toBe('STOP');
    expect(after.version).toBe(before.version + 1);
  });

  it('forgets nodes that left the view', () => {
    const store = createMapStore();
    store.getState().setFigures(new Map([['topic:old', group(null)]]), new Map(), new Map());
    store.getState().setFigures(new Map([['topic:new', group(null)]]), new Map(), new Map());
    expect([...store.getState().nodeFigures.keys()]).toEqual(['topic:new']);
  });
});
