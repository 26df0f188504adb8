import { describe, expect, it } from 'vitest';
import { evaluateGroupStatus, STATUS_SEVERITY, statusLevel } from './group-status';
import { PARTITION_STATUSES, type PartitionStatus } from './status';

const partition = (status: PartitionStatus, complete = true) => ({ status, complete });

describe('evaluateGroupStatus', () => {
  it('shows the worst partition, with counts and the complete fraction', () => {
    const group = evaluateGroupStatus([partition('OK'), partition('WARN'), partition('STALL'), partition('OK'), partition('EVALUATING', false)]);
    expect(group).toMatchObject({ status: 'STALL', level: 'ERR', complete: 0.8, partitions: 5 });
    expect(group.counts).toEqual({ OK: 2, WARN: 1, STALL: 1, STOP: 0, REWIND: 0, DATA_LOSS: 0, NO_COMMIT: 0, EVALUATING: 1 });
  });

  it('ranks every status in the documented order', () => {
    expect(STATUS_SEVERITY).toEqual(['EVALUATING', 'NO_COMMIT', 'OK', 'WARN', 'REWIND', 'STALL', 'STOP', 'DATA_LOSS']);
    expect([...STATUS_SEVERITY].sort()).toEqual([...PARTITION_STATUSES].sort());
    for (let i = 1; i < STATUS_SEVERITY.length; i++) {
      const milder = STATUS_SEVERITY[i - 1] ?? 'OK';
      const worse = STATUS_SEVERITY[i] ?? 'OK';
      expect(evaluateGroupStatus([partition(milder), partition(worse)]).status).toBe(worse);
      expect(evaluateGroupStatus([partition(worse), partition(milder)]).status).toBe(worse);
    }
  });

  it('does not let one partition that is still being evaluated hide the verdict on the rest', () => {
    expect(evaluateGroupStatus([partition('OK'), partition('OK'), partition('EVALUATING', false)])).toMatchObject({ status: 'OK', level: 'OK', complete: 2 / 3 });
    expect(evaluateGroupStatus([partition('EVALUATING', false), partition('EVALUATING', false)])).toMatchObject({ status: 'EVALUATING', level: 'EVALUATING', complete: 0 });
  });

  it('is NOTFOUND without partitions, with nothing made up', () => {
    expect(evaluateGroupStatus([])).toMatchObject({ status: null, level: 'NOTFOUND', complete: null, partitions: 0 });
  });
});

describe('statusLevel', () => {
  it('maps STOP, STALL, REWIND and DATA_LOSS to ERR, NO_COMMIT to OK (§8.4)', () => {
    expect(PARTITION_STATUSES.map((status) => [status, statusLevel(status)])).toEqual([
      ['OK', 'OK'],
      ['WARN', 'WARN'],
      ['STALL', 'ERR'],
      ['STOP', 'ERR'],
      ['REWIND', 'ERR'],
      ['DATA_LOSS', 'ERR'],
      ['NO_COMMIT', 'OK'],
      ['EVALUATING', 'EVALUATING'],
    ]);
  });
});
