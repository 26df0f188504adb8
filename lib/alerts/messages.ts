import type { AlertRule, GroupStatus } from '../contract';
import { formatCount, formatDuration } from '../format';

/** Plain-words alert messages for the app, the webhooks and Slack: what, how bad, since when, why. */

export function ruleDisplayName(rule: Pick<AlertRule, 'id' | 'name'>): string {
  return rule.name ?? rule.id;
}

function seconds(value: number): string {
  if (value < 10) return `${Math.round(value * 10) / 10} s`;
  return value < 120 ? `${Math.round(value)} s` : formatDuration(value);
}

export function groupStatusFiringMessage(group: string, status: GroupStatus, cycles: number, pollIntervalMs: number, reason: string | null, lagSum: number | null): string {
  const lag = lagSum !== null && lagSum > 0 && !(reason ?? '').includes('wait') ? `; ${formatCount(lagSum)} messages behind` : '';
  const why = reason ? `: ${reason}` : '';
  return `${group} has been ${status} for ${cycles} cycle${cycles === 1 ? '' : 's'} (${formatDuration((cycles * pollIntervalMs) / 1000)})${why}${lag}`;
}

export function groupStatusResolvedMessage(group: string, status: GroupStatus | null, was: GroupStatus | null, firedForMs: number): string {
  return `${group} is ${status ?? 'no longer in an alerting status'}${status ? ' again' : ''} after ${formatDuration(firedForMs / 1000)}${was ? ` (was ${was})` : ''}`;
}

export function lagFiringMessage(group: string, lagSeconds: number, thresholdSeconds: number, cycles: number, lagSum: number | null): string {
  const messages = lagSum !== null ? ` (${formatCount(lagSum)} message${lagSum === 1 ? '' : 's'})` : '';
  return `${group} is ${seconds(lagSeconds)} behind${messages}, above its SLO of ${seconds(thresholdSeconds)}, for ${cycles} cycle${cycles === 1 ? '' : 's'}`;
}

export function lagResolvedMessage(group: string, lagSeconds: number | null, clearBelowSeconds: number, firedForMs: number): string {
  const now = lagSeconds === null ? '' : ` (${seconds(lagSeconds)} behind, at or below ${seconds(clearBelowSeconds)})`;
  return `${group} is back within its SLO${now} after ${formatDuration(firedForMs / 1000)}`;
}

export function idleFiringMessage(topic: string, idleMs: number, minutes: number): string {
  return `${topic} has had no new messages for ${formatDuration(idleMs / 1000)} (rule: ${formatDuration(minutes * 60)}); check its producers`;
}

export function idleResolvedMessage(topic: string, firedForMs: number): string {
  return `${topic} is receiving messages again after ${formatDuration(firedForMs / 1000)} of alert`;
}
