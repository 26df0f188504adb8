import { describe, expect, it } from 'vitest';
import { ApiKeys, capabilitiesFrom } from './capabilities';

describe('capabilitiesFrom', () => {
  it('recognises a Kafka 4 broker (ranges read from a 4.3.1 broker): Fetch below v4 removed (KIP-896)', () => {
    const caps = capabilitiesFrom([
      { apiKey: ApiKeys.Produce, minVersion: 0, maxVersion: 13 },
      { apiKey: ApiKeys.Fetch, minVersion: 4, maxVersion: 18 },
      { apiKey: ApiKeys.ListGroups, minVersion: 0, maxVersion: 5 },
      { apiKey: ApiKeys.OffsetFetch, minVersion: 1, maxVersion: 9 },
      { apiKey: ApiKeys.ConsumerGroupDescribe, minVersion: 0, maxVersion: 1 },
      { apiKey: ApiKeys.DescribeProducers, minVersion: 0, maxVersion: 0 },
    ]);
    expect(caps).toEqual({ versionLabel: '4.x', listGroupTypes: true, consumerGroupDescribe: true, multiGroupOffsetFetch: true, describeProducers: true });
  });

  it('degrades for an old broker', () => {
    const caps = capabilitiesFrom([
      { apiKey: ApiKeys.Produce, minVersion: 0, maxVersion: 8 },
      { apiKey: ApiKeys.Fetch, minVersion: 0, maxVersion: 12 },
      { apiKey: ApiKeys.ListGroups, minVersion: 0, maxVersion: 3 },
      { apiKey: ApiKeys.OffsetFetch, minVersion: 0, maxVersion: 7 },
    ]);
    expect(caps).toMatchObject({ versionLabel: '< 2.8', listGroupTypes: false, consumerGroupDescribe: false, multiGroupOffsetFetch: false });
    expect(capabilitiesFrom([]).versionLabel).toBeNull();
  });
});
