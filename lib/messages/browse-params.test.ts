import { describe, expect, it } from 'vitest';
import {
  browseApiUrl,
  browseQuery,
  clampExportMax,
  DEFAULT_BROWSE_PARAMS,
  describeBudgetStop,
  describePartitions,
  describePositions,
  exportUrl,
  formatPartitionList,
  fromDatetimeLocal,
  normalizeBrowseParams,
  pagingCursors,
  parseBrowseParams,
  parseBrowseParamsWithIssues,
  parsePartitionList,
  parseTimeParam,
  rawPayloadUrl,
  recordApiUrl,
  toDatetimeLocal,
  type BrowseParams,
} from './browse-params';

const fromQuery = (query: string) => parseBrowseParamsWithIssues(Object.fromEntries(new URLSearchParams(query)));

describe('browse params', () => {
  it('defaults to the newest records of every partition, 50 a page, no filter', () => {
    expect(parseBrowseParams({})).toEqual({ partitions: null, start: 'newest', offset: null, time: null, direction: 'backward', limit: 50, filter: '', tail: false });
    expect(browseQuery(DEFAULT_BROWSE_PARAMS)).toBe('');
  });

  it('round-trips every field through the address', () => {
    const cases: BrowseParams[] = [
      { partitions: [0, 2, 5], start: 'offset', offset: 123456, time: null, direction: 'forward', limit: 200, filter: 'value.status == "FAILED" && headers["ce_type"].startsWith("order.")', tail: false },
      { partitions: null, start: 'time', offset: null, time: Date.UTC(2024, 4, 1, 3, 0, 0, 250), direction: 'backward', limit: 25, filter: '', tail: false },
      { partitions: [1], start: 'oldest', offset: null, time: null, direction: 'forward', limit: 100, filter: 'keyText == "a&b=c?d#e"', tail: true },
    ];
    for (const params of cases) {
      const query = browseQuery(params);
      const back = fromQuery(query);
      expect(back.issues).toEqual([]);
      expect(back.params).toEqual(params);
    }
  });

  it('writes times as ISO and reads epoch ms too', () => {
    const time = Date.UTC(2024, 0, 2, 3, 4, 5);
    expect(browseQuery({ ...DEFAULT_BROWSE_PARAMS, start: 'time', time, direction: 'forward' })).toBe('start=time&time=2024-01-02T03%3A04%3A05.000Z');
    expect(fromQuery(`start=time&time=${time}`).params.time).toBe(time);
    expect(parseTimeParam('2024-01-02T03:04:05Z')).toBe(time);
    expect(parseTimeParam('yesterday')).toBeNull();
    expect(parseTimeParam('-5')).toBeNull();
    expect(parseTimeParam('99999999999999999999')).toBeNull();
  });

  it('falls back to defaults on nonsense, saying what it ignored, without throwing', () => {
    const { params, issues } = fromQuery('partitions=0,x&start=sideways&limit=7&direction=up&tail=maybe');
    expect(params).toEqual(DEFAULT_BROWSE_PARAMS);
    expect(issues).toHaveLength(4);
    expect(issues.join(' ')).toMatch(/partitions=0,x/);
    expect(fromQuery('start=offset').params.start).toBe('newest');
    expect(fromQuery('start=offset&offset=-1').issues[0]).toMatch(/offset/);
    expect(fromQuery('start=offset&offset=1e3').params.start).toBe('newest');
    expect(fromQuery('start=time&time=notatime').params.start).toBe('newest');
    expect(fromQuery(`filter=${'x'.repeat(3000)}`)).toEqual({ params: DEFAULT_BROWSE_PARAMS, issues: [expect.stringMatching(/longer than 2,048/)] });
    // Arrays (a repeated parameter) and odd types: the first value counts.
    expect(parseBrowseParams({ limit: ['100', '25'], partitions: ['3,1,3'] })).toMatchObject({ limit: 100, partitions: [1, 3] });
    expect(parseBrowseParams({ partitions: 'all' }).partitions).toBeNull();
  });

  it('forces the direction of newest and oldest, lets offset and time choose', () => {
    expect(fromQuery('direction=forward').params.direction).toBe('backward');
    expect(fromQuery('start=oldest&direction=backward').params.direction).toBe('forward');
    expect(fromQuery('start=offset&offset=5&direction=backward').params.direction).toBe('backward');
    expect(normalizeBrowseParams({ ...DEFAULT_BROWSE_PARAMS, start: 'oldest', offset: 5, time: 9, direction: 'backward' })).toMatchObject({ offset: null, time: null, direction: 'forward' });
  });

  it('keeps the filter verbatim, trimmed only at its ends', () => {
    expect(fromQuery(`filter=${encodeURIComponent('  value.a  ==  1\n&& key == "x"  ')}`).params.filter).toBe('value.a  ==  1\n&& key == "x"');
  });

  it('reads partition lists', () => {
    expect(parsePartitionList('5, 0,2,2')).toEqual([0, 2, 5]);
    expect(parsePartitionList('')).toBeNull();
    expect(parsePartitionList('1,-2')).toBeNull();
    expect(parsePartitionList('1.5')).toBeNull();
  });
});

describe('API addresses', () => {
  const p: BrowseParams = { ...DEFAULT_BROWSE_PARAMS, partitions: [0, 2], start: 'offset', offset: 10, direction: 'forward', filter: 'offset > 3' };
  it('sends the range for a first page and only cursor, limit and filter after', () => {
    expect(browseApiUrl('local dev', 'a/b', p)).toBe('/api/clusters/local%20dev/topics/a%2Fb/messages?partitions=0%2C2&start=offset&offset=10&direction=forward&limit=50&filter=offset+%3E+3');
    expect(browseApiUrl('c', 't', p, 'abc==')).toBe('/api/clusters/c/topics/t/messages?cursor=abc%3D%3D&limit=50&filter=offset+%3E+3');
    expect(browseApiUrl('c', 't', DEFAULT_BROWSE_PARAMS)).toBe('/api/clusters/c/topics/t/messages?start=newest&direction=backward&limit=50');
  });
  it('builds the export link from the browse range', () => {
    expect(exportUrl('c', 't', p, 'csv', 500)).toBe('/api/clusters/c/topics/t/messages/export?format=csv&max=500&partitions=0%2C2&start=offset&offset=10&direction=forward&filter=offset+%3E+3');
    expect(exportUrl('c', 't', { ...DEFAULT_BROWSE_PARAMS, start: 'time', time: 1000, direction: 'forward' }, 'jsonl', 1e9)).toBe('/api/clusters/c/topics/t/messages/export?format=jsonl&max=100000&start=time&time=1000&direction=forward');
    expect(clampExportMax(Number.NaN)).toBe(10_000);
    expect(clampExportMax(0)).toBe(10_000);
    expect(clampExportMax(12.7)).toBe(12);
  });
  it('addresses one record and its raw bytes', () => {
    expect(recordApiUrl('c', '<t>', 3, 42)).toBe('/api/clusters/c/topics/%3Ct%3E/messages/3/42');
    expect(rawPayloadUrl('c', 't', 3, 42, 'value')).toBe('/api/clusters/c/topics/t/messages/3/42/raw?part=value');
  });
});

describe('paging and summary words', () => {
  it('maps Older/Newer to next/previous by direction', () => {
    expect(pagingCursors('backward', 'n', 'p')).toEqual({ older: 'n', newer: 'p' });
    expect(pagingCursors('forward', 'n', null)).toEqual({ older: null, newer: 'n' });
  });
  it('describes partition selections', () => {
    expect(formatPartitionList([5, 0, 1, 2, 7, 8, 10])).toBe('0–2, 5, 7, 8, 10');
    expect(describePartitions(null, 6)).toBe('all 6 partitions (0–5)');
    expect(describePartitions([0, 1, 2], 3)).toBe('all 3 partitions (0–2)');
    expect(describePartitions(null, null)).toBe('all partitions');
    expect(describePartitions([2], 6)).toBe('partition 2 of 6');
    expect(describePartitions([0, 2, 3, 4], 6)).toBe('partitions 0, 2–4 of 6');
  });
  it('describes where a scan stopped', () => {
    expect(describeBudgetStop('records-budget')).toBe('records budget reached');
    expect(describePositions([{ partition: 0, offset: 123456 }])).toBe('partition 0 offset 123,456');
    expect(describePositions([0, 1, 2, 3, 4].map((partition) => ({ partition, offset: 1 })), 2)).toBe('partition 0 offset 1, partition 1 offset 1 and 3 more');
  });
});

describe('datetime-local', () => {
  it('round-trips local time to the second', () => {
    const ms = new Date(2024, 4, 1, 3, 4, 5).getTime();
    expect(toDatetimeLocal(ms)).toBe('2024-05-01T03:04:05');
    expect(fromDatetimeLocal('2024-05-01T03:04:05')).toBe(ms);
    expect(fromDatetimeLocal('2024-05-01T03:04')).toBe(new Date(2024, 4, 1, 3, 4).getTime());
    expect(fromDatetimeLocal('2024-02-30T00:00')).toBeNull();
    expect(fromDatetimeLocal('')).toBeNull();
    expect(fromDatetimeLocal('0080-01-01T00:00')).toBeNull();
  });
});
