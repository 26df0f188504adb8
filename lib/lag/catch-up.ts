import type { GroupStatus } from '../contract/groups';
import type { StatusTone } from './status-tone';

/**
 * A busy consumer is always a few messages and seconds behind, and a burst briefly out-produces it: below this
 * age of the oldest unread message, "falling behind" would be a false alarm at 3 a.m.
 */
const KEEPING_UP_SECONDS = 30;

export interface CatchUpInput {
  lag: number | null;
  /** Age of the oldest unread message (worst partition). */
  lagSeconds: number | null;
  etaSeconds: number | null;
  consumeRate: number | null;
  produceRate: number | null;
  /** The group's status: STOP and STALL mean commits stopped now, whatever the last minute's rate says. */
  status?: GroupStatus | null;
}

export interface CatchUp {
  /** caught_up · keeping_up (seconds behind, reading) · catching_up · falling_behind (consumes, but slower than produced) · not_consuming · unknown */
  kind: 'caught_up' | 'keeping_up' | 'catching_up' | 'falling_behind' | 'not_consuming' | 'unknown';
  tone: StatusTone;
  /** The headline: "Caught up", "Catching up", ... */
  title: string;
  /** What the numbers say, in words an on-call engineer reads at 3 a.m. */
  detail: string;
  /** When it will be done (epoch ms) for catching_up, else null. */
  doneAt: number | null;
}

const rate = (perSec: number) => (perSec >= 100 ? `${Math.round(perSec)}` : perSec >= 10 ? perSec.toFixed(0) : perSec.toFixed(1));

/**
 * Whether a group is catching up, from its lag, ETA and rates: the question behind "when will it be done?". An ETA
 * alone cannot say why it is unknown; the rates can (nothing consumed, or consumed slower than produced).
 */
export function describeCatchUp(input: CatchUpInput, now: number, formatDuration: (seconds: number) => string): CatchUp {
  const { lag, lagSeconds, etaSeconds, consumeRate, produceRate } = input;
  if (lag === null) return { kind: 'unknown', tone: 'muted', title: 'Unknown', detail: 'No lag figure yet: the group has not committed, or the cluster has not answered.', doneAt: null };
  // First: the consume rate averages the last minute, so it stays up (and the engine's ETA may even read 0, "less
  // than one poll of work left") for a while after a consumer dies; the status says at once that commits stopped.
  if (lag > 0 && (input.status === 'STOP' || input.status === 'STALL')) {
    return { kind: 'not_consuming', tone: 'danger', title: 'Not consuming', detail: 'Its commits have stopped: the lag will only grow until it consumes again.', doneAt: null };
  }
  if (lag <= 0 || etaSeconds === 0) return { kind: 'caught_up', tone: 'ok', title: 'Caught up', detail: 'Nothing waits to be read.', doneAt: null };
  if (etaSeconds !== null && etaSeconds > 0) {
    const net = consumeRate !== null && produceRate !== null ? ` (reads ${rate(consumeRate)}/s, ${rate(produceRate)}/s arrive)` : '';
    return { kind: 'catching_up', tone: 'warn', title: `Catching up: ${formatDuration(etaSeconds)} left`, detail: `At the current rates it is caught up in about ${formatDuration(etaSeconds)}${net}.`, doneAt: now + etaSeconds * 1000 };
  }
  if (lagSeconds !== null && lagSeconds <= KEEPING_UP_SECONDS && consumeRate !== null && consumeRate > 0) {
    return { kind: 'keeping_up', tone: 'ok', title: 'Keeping up', detail: `${formatDuration(lagSeconds)} behind, reading ${rate(consumeRate)}/s: normal for a busy consumer.`, doneAt: null };
  }
  if (consumeRate === null) return { kind: 'unknown', tone: 'muted', title: 'Behind, rate unknown', detail: 'Not enough commits yet to measure how fast it reads.', doneAt: null };
  if (consumeRate <= 0) return { kind: 'not_consuming', tone: 'danger', title: 'Not consuming', detail: 'No commits in the last minute: the lag will only grow until it consumes again.', doneAt: null };
  const produce = produceRate ?? 0;
  return {
    kind: 'falling_behind',
    tone: 'danger',
    title: 'Falling behind',
    detail: `It reads ${rate(consumeRate)}/s while ${rate(produce)}/s arrive: it will not catch up at this pace.`,
    doneAt: null,
  };
}
