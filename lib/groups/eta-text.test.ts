import { describe, expect, it } from 'vitest';
import { describeEta } from './eta-text';

describe('describeEta', () => {
  it('says caught up, or how long', () => {
    expect(describeEta({ etaSeconds: 0, lagSum: 3, consumeRate: 10, status: 'OK' }).text).toBe('caught up');
    expect(describeEta({ etaSeconds: 180, lagSum: 900, consumeRate: 10, status: 'OK' }).text).toBe('3 min');
  });
  it('explains a null ETA instead of printing a dash or NaN', () => {
    expect(describeEta({ etaSeconds: null, lagSum: null, consumeRate: null, status: 'OK' })).toMatchObject({ text: '—', title: expect.stringContaining('no committed offset') });
    expect(describeEta({ etaSeconds: null, lagSum: 50, consumeRate: undefined, status: 'OK' }).text).toBe('measuring…');
    expect(describeEta({ etaSeconds: null, lagSum: 50, consumeRate: 0, status: 'OK' })).toMatchObject({ text: 'not consuming', tone: 'danger' });
    expect(describeEta({ etaSeconds: null, lagSum: 50, consumeRate: 3, status: 'WARN' }, 'rising')).toMatchObject({ text: 'not catching up', tone: 'danger' });
    expect(describeEta({ etaSeconds: null, lagSum: 50, consumeRate: 3, status: 'OK' }, 'flat')).toMatchObject({ text: 'not catching up', tone: 'warn' });
  });
  it('says not consuming for a STOP group even while the one-minute rate still reads it caught up', () => {
    // Seconds after the consumer died: ETA 0 from the stale consume rate, lag still waiting.
    expect(describeEta({ etaSeconds: 0, lagSum: 120, consumeRate: 40, status: 'STOP' })).toMatchObject({ text: 'not consuming', tone: 'danger' });
    expect(describeEta({ etaSeconds: 0, lagSum: 0, consumeRate: 0, status: 'STOP' }).text).toBe('caught up');
  });
});
