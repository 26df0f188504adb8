import { describe, expect, it } from 'vitest';
import { Exposition, formatLabels } from './exposition';

describe('Prometheus exposition', () => {
  it('writes families with HELP and TYPE, and omits unknown values instead of writing NaN', () => {
    const text = new Exposition()
      .gauge('kafka_consumergroup_group_lag', 'Lag in messages', [
        { labels: { cluster_name: 'local', group: 'email-service', topic: 'user.registered', partition: 0 }, value: 42 },
        { labels: { cluster_name: 'local', group: 'email-service', topic: 'user.registered', partition: 1 }, value: null },
        { labels: { cluster_name: 'local', group: 'x', topic: 't', partition: 2 }, value: Number.NaN },
      ])
      .gauge('empty_family', 'never written', [{ labels: {}, value: null }])
      .toString();
    expect(text).toBe(
      '# HELP kafka_consumergroup_group_lag Lag in messages\n' +
        '# TYPE kafka_consumergroup_group_lag gauge\n' +
        'kafka_consumergroup_group_lag{cluster_name="local",group="email-service",topic="user.registered",partition="0"} 42\n',
    );
  });

  it('escapes label values', () => {
    expect(formatLabels({ group: 'a"b\\c\nd' })).toBe('{group="a\\"b\\\\c\\nd"}');
  });

  it('writes histograms with cumulative buckets', () => {
    const text = new Exposition().histogram('poll_seconds', 'Poll time', { cluster_name: 'c' }, [{ le: 0.1, count: 2 }, { le: 1, count: 5 }], 1.25, 6).toString();
    expect(text).toContain('poll_seconds_bucket{cluster_name="c",le="0.1"} 2');
    expect(text).toContain('poll_seconds_bucket{cluster_name="c",le="+Inf"} 6');
    expect(text).toContain('poll_seconds_sum{cluster_name="c"} 1.25');
    expect(text).toContain('poll_seconds_count{cluster_name="c"} 6');
  });
});
