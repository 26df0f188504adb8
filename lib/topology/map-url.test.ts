import { describe, expect, it } from 'vitest';
import { DEFAULT_MAP_STATE, formatMapUrl, parseMapUrl, type MapUrlState } from './map-url';

describe('map URL state', () => {
  it('a link reproduces the view: selection, search, filters, folds and time survive a round trip', () => {
    const state: MapUrlState = {
      selection: { kind: 'edge', id: 'consumes|topic:user.registered|consumerGroup:email-service' },
      query: 'email',
      filters: {
        kinds: ['consumerGroup', 'topic'],
        health: ['critical', 'warn'],
        states: ['live'],
        showHidden: true,
        focus: 'service:email-service',
        collapse: { topicPrefixes: true, servicePrefixes: false, groupsIntoServices: true, expanded: ['collapsed:topic:user'] },
      },
      at: 1795356000000,
    };
    const url = formatMapUrl(state);
    expect(parseMapUrl(new URLSearchParams(url))).toEqual(state);
  });
  it('the default view is a bare URL', () => {
    expect(formatMapUrl(DEFAULT_MAP_STATE)).toBe('');
    expect(parseMapUrl(new URLSearchParams(''))).toEqual(DEFAULT_MAP_STATE);
  });
  it('drops what it does not understand instead of failing', () => {
    const parsed = parseMapUrl(new URLSearchParams('kinds=topic,bogus&health=critical,<script>&at=yesterday&states=live,,&fold=nope&node=' + 'x'.repeat(5000)));
    expect(parsed.filters.kinds).toEqual(['topic']);
    expect(parsed.filters.health).toEqual(['critical']);
    expect(parsed.filters.states).toEqual(['live']);
    expect(parsed.at).toBeNull();
    expect(parsed.selection).toBeNull();
    expect(parsed.filters.collapse).toEqual(DEFAULT_MAP_STATE.filters.collapse);
  });
});
