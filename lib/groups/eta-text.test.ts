import { describe, expect, it } from 'vitest';
import { describeEta } from './eta-text';

describe('describeEta', () => {
  it('says caught up, or how long', () => {
    expect(describeEta({ etaSeconds: 0, lagSum: 3, consumeRate: 10 }).text).toBe('caught up');
    expect(describeEta({ etaSeconds: 180, lagSum: 900, consumeRate: 10 }).text).toBe('3 min');
  });
  it('explains a null ETA instead of printing a dash or NaN', () => {
    expect(describeEta({ etaSeconds: null, lagSum: null, consumeRate: null })).toMatchObject({ text: '—', title: expect.stringContaining('no committed offset') });
    expect(describeEta({ etaSeconds: null, lagSum: 50, consumeRate: undefined }).text).toBe('measuring…');
    expect(describeEta({ etaSeconds: null, lagSum: 50, consumeRate: 0 })).toMatchObject({ text: 'not consuming', tone: 'danger' });
    expect(describeEta({ etaSeconds: null, lagSum: 50, consumeRate: 3 }, 'rising')).toMatchObject({ text: 'not catching up', tone: 'danger' });
    expect(describeEta({ etaSeconds: null, lagSum: 50, consumeRate: 3 }, 'flat')).toMatchObject({ text: 'not catching up', tone: 'warn' });
  });
});
