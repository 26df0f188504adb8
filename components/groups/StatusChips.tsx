'use client';
import type { StatusChip, StatusFilter } from '../../lib/groups/list-params';

const DANGER = new Set<StatusFilter>(['problems', 'stop', 'stall', 'data_loss', 'rewind']);

/** The status filter as toggle buttons with counts; "Problems" is red when there are any, so it reads at a glance. */
export function StatusChips({ chips, value, onChange }: { chips: StatusChip[]; value: StatusFilter; onChange: (filter: StatusFilter) => void }) {
  return (
    <div className="chips" role="group" aria-label="Filter by status">
      {chips.map((chip) => (
        <button
          key={chip.filter}
          type="button"
          className={`chip${DANGER.has(chip.filter) && chip.count > 0 ? ' chip-danger' : ''}${chip.count === 0 ? ' chip-zero' : ''}`}
          aria-pressed={value === chip.filter}
          onClick={() => onChange(chip.filter)}
          data-testid={`status-chip-${chip.filter}`}
        >
          {chip.label} <span className="chip-count">{chip.count}</span>
        </button>
      ))}
    </div>
  );
}
