import { describe, expect, it } from 'vitest';
import { GROUP_NAME_MAX_CHARS, GROUP_TRENDS_MAX_GROUPS, groupTrendsFilterParam, lagGrid, lagGridPoints, parseGroupTrendsFilter, trendBucketStart } from './groups';

/** The `groups` value as the server sees it: the URL's query decoded once, as Fastify does. */
function serverSees(param: string): string | null {
  return new URL(`http://x/api/clusters/c/group-trends?groups=${param}`).searchParams.get('groups');
}

describe('the group-trends filter', () => {
  it('is absent without the parameter, a list of names with it', () => {
    expect(parseGroupTrendsFilter(undefined)).toEqual({ ok: true, groups: null });
    expect(parseGroupTrendsFilter('a,b,c')).toEqual({ ok: true, groups: ['a', 'b', 'c'] });
    expect(parseGroupTrendsFilter('')).toEqual({ ok: true, groups: [] });
  });

  it('skips empty items and duplicates, and takes a repeated parameter as one list', () => {
    expect(parseGroupTrendsFilter('a,,b,a,')).toEqual({ ok: true, groups: ['a', 'b'] });
    expect(parseGroupTrendsFilter(['a,b', 'c'])).toEqual({ ok: true, groups: ['a', 'b', 'c'] });
  });

  it('round-trips any name through a URL, commas and percent signs included', () => {
    const names = ['orders-svc', 'billing,eu', '50% off', 'é ü 漢字', 'a&b=c?d#e', 'x%2Cy', 'trends', ' spaced '];
    const param = groupTrendsFilterParam(names);
    expect(parseGroupTrendsFilter(serverSees(param))).toEqual({ ok: true, groups: names });
  });

  it('takes a stray percent sign in a hand-written list as written', () => {
    expect(parseGroupTrendsFilter('100%,a%2Cb')).toEqual({ ok: true, groups: ['100%', 'a,b'] });
  });

  it(`refuses more than ${GROUP_TRENDS_MAX_GROUPS} names, or a name longer than ${GROUP_NAME_MAX_CHARS} characters, with a message that says so`, () => {
    const names = (n: number) => Array.from({ length: n }, (_, i) => `g${i}`).join(',');
    expect(parseGroupTrendsFilter(names(GROUP_TRENDS_MAX_GROUPS))).toMatchObject({ ok: true });
    expect(parseGroupTrendsFilter(names(GROUP_TRENDS_MAX_GROUPS + 1))).toEqual({ ok: false, message: expect.stringContaining('at most 500') });
    expect(parseGroupTrendsFilter('x'.repeat(GROUP_NAME_MAX_CHARS))).toMatchObject({ ok: true });
    expect(parseGroupTrendsFilter(`a,${'x'.repeat(GROUP_NAME_MAX_CHARS + 1)}`)).toEqual({ ok: false, message: expect.stringContaining('at most 1024') });
    expect(parseGroupTrendsFilter({ a: 1 })).toMatchObject({ ok: false });
  });
});

describe('the lag grid', () => {
  it('puts each point in its step bucket, the later point of a bucket winning, and leaves the rest null', () => {
    const from = trendBucketStart(1_000_007, 15_000);
    expect(from).toBe(990_000);
    const lags = lagGrid(
      [
        { t: 980_000, lag: 1 }, // before the grid
        { t: 991_000, lag: 2 },
        { t: 1_004_999, lag: 3 }, // same bucket: wins
        { t: 1_020_000, lag: null },
        { t: 1_035_000, lag: 5 },
        { t: 1_050_000, lag: 6 }, // after the grid
      ],
      from,
      15_000,
      4,
    );
    expect(lags).toEqual([3, null, null, 5]);
  });

  it('interpolates empty slots between known lags at most maxGapMs apart, and leaves longer gaps unknown', () => {
    const sparse = [
      { t: 0, lag: 0 },
      { t: 30_000, lag: 10 }, // 30 s polls: one empty bucket between
      { t: 90_000, lag: 40 }, // 60 s without a poll: unknown
      { t: 105_000, lag: null },
      { t: 135_000, lag: 7 }, // next to an unknown lag: not invented
    ];
    expect(lagGrid(sparse, 0, 15_000, 10, 45_000)).toEqual([0, 5, 10, null, null, null, 40, null, null, 7]);
    expect(lagGrid(sparse, 0, 15_000, 10)).toEqual([0, null, 10, null, null, null, 40, null, null, 7]);
  });

  it('reads back as points at the bucket starts, from the first known slot on', () => {
    expect(lagGridPoints(0, 15_000, [null, null, 4, null, 6])).toEqual([
      { t: 30_000, lag: 4 },
      { t: 45_000, lag: null },
      { t: 60_000, lag: 6 },
    ]);
    expect(lagGridPoints(0, 15_000, [null, null])).toEqual([]);
    expect(lagGridPoints(0, 15_000, [])).toEqual([]);
  });
});
