import type { GroupSummary } from '../contract';
import { formatDuration } from '../format';
import type { TrendDirection } from './trend-ring';

export interface EtaText {
  text: string;
  tone: 'ok' | 'warn' | 'danger' | 'muted' | 'plain';
  /** Why: the tooltip that turns "—" into a reason. */
  title: string;
}

/**
 * The ETA column in words. The engine's `etaSeconds` is null for several reasons it does not tell apart (lib/lag/eta.ts):
 * lag unknown, rates not measured yet, consuming no faster than producers write, or over 30 days away. The rest of
 * the summary and the lag trend tell them apart, so the on-call engineer reads a reason instead of a dash.
 */
export function describeEta(group: Pick<GroupSummary, 'etaSeconds' | 'lagSum' | 'consumeRate' | 'status'>, trend: TrendDirection = 'unknown'): EtaText {
  const { etaSeconds, lagSum } = group;
  const consumeRate = group.consumeRate ?? null;
  // The one-minute consume rate (and an ETA of 0 from it) outlives a dead consumer; STOP and STALL do not.
  if (lagSum !== null && lagSum > 0 && (group.status === 'STOP' || group.status === 'STALL')) {
    return { text: 'not consuming', tone: 'danger', title: 'Its commits have stopped while messages wait: no ETA until it consumes again.' };
  }
  if (etaSeconds === 0) return { text: 'caught up', tone: 'ok', title: 'No backlog beyond what one poll consumes.' };
  if (etaSeconds !== null) return { text: formatDuration(etaSeconds), tone: 'plain', title: 'Time to catch up at the current consume and produce rates.' };
  if (lagSum === null) return { text: '—', tone: 'muted', title: 'Lag unknown: the group has no committed offset to measure from.' };
  if (consumeRate === null) return { text: 'measuring…', tone: 'muted', title: 'Rates need about a minute of polls before an ETA can be estimated.' };
  if (consumeRate === 0) return { text: 'not consuming', tone: 'danger', title: 'The group commits nothing while messages wait: it will never catch up as it is.' };
  if (trend === 'rising') return { text: 'not catching up', tone: 'danger', title: 'Lag is growing: the group consumes slower than producers write.' };
  return { text: 'not catching up', tone: 'warn', title: 'The group consumes no faster than producers write (or catching up would take over 30 days).' };
}
