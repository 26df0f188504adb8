import type { AlertInstance } from '../contract';
import { formatDuration } from '../format';

/** A value in an alert's unit, as people read it ("7 min", "30 s", "3 cycles"): the app and Slack say it the same way. */
export function formatAlertValue(unit: AlertInstance['unit'], value: number | null): string {
  if (value === null) return '—';
  if (unit === 'cycles') return `${value} cycle${value === 1 ? '' : 's'}`;
  return formatDuration(unit === 'minutes' ? value * 60 : value);
}
