'use client';
import type { ReactNode } from 'react';

type Direction = 'asc' | 'desc';

/**
 * A column header that sorts: a real button (Tab + Enter/Space) inside the th, which carries aria-sort so screen
 * readers announce the order. Clicking the sorted column flips it; another column starts in `firstDirection`.
 */
export function SortableHeader<K extends string>({
  label,
  sortKey,
  current,
  onSort,
  numeric = false,
  title,
}: {
  label: ReactNode;
  sortKey: K;
  current: { key: K; direction: Direction };
  onSort: (key: K) => void;
  numeric?: boolean;
  title?: string;
}) {
  const active = current.key === sortKey;
  const ariaSort = active ? (current.direction === 'asc' ? 'ascending' : 'descending') : 'none';
  return (
    <th className={numeric ? 'num' : undefined} aria-sort={ariaSort} title={title} scope="col">
      <button type="button" className="sort-button" onClick={() => onSort(sortKey)} data-testid={`sort-${sortKey}`}>
        {label}
        <span className="sort-arrow" aria-hidden>
          {active ? (current.direction === 'asc' ? '▲' : '▼') : ''}
        </span>
      </button>
    </th>
  );
}
