import { offsetOrNull } from './known';
import { type RunBreak, trailingMonotonicRun } from './series';
import type { StatusThresholds } from './thresholds';

/** One poll of a (group, partition), as the status rules see it. */
export interface StatusSample {
  /** Epoch ms when the offsets were observed. */
  t: number;
  /** Null (or Kafka's -1) when the group has no commit for the partition. */
  committed: number | null;
  highWatermark: number;
  logStartOffset: number | null;
  /** Only for transactional topics. When known, progress is judged against the LSO (see status.ts). */
  lastStableOffset?: number | null;
  /** Group state at this poll, when recorded; lets REWIND recognise an explicit offset reset. */
  groupState?: string;
}

export interface StatusWindow {
  /** Usable samples inside the window, oldest first, with unknown offsets normalised to null. */
  samples: StatusSample[];
  complete: boolean;
  /** Time between the oldest and newest sample in the window. */
  spanMs: number;
  /** Why the usable history starts inside the window, if it does ('none' when it simply has not been collected yet). */
  restartedBy: RunBreak;
}

/**
 * The samples the rules judge: inside [now − windowMs, now], after the newest HWM drop or clock step (nothing
 * before a topic recreation compares with what follows), and with unusable values dropped. The window is complete
 * when it holds ≥ minSamples spanning ≥ completeFraction · windowMs: Burrow's "complete", made explicit.
 */
export function selectWindow(samples: readonly StatusSample[], nowMs: number, thresholds: StatusThresholds): StatusWindow {
  const usable: StatusSample[] = [];
  for (const sample of samples) {
    if (!Number.isFinite(sample.t) || sample.t > nowMs || offsetOrNull(sample.highWatermark) === null) continue;
    usable.push({
      ...sample,
      committed: offsetOrNull(sample.committed),
      logStartOffset: offsetOrNull(sample.logStartOffset),
      lastStableOffset: offsetOrNull(sample.lastStableOffset),
    });
  }
  const { run, brokeAt } = trailingMonotonicRun(usable, (sample) => sample.highWatermark);
  const windowStart = nowMs - thresholds.windowMs;
  const inWindow = run.filter((sample) => sample.t >= windowStart);
  const oldest = inWindow[0];
  const newest = inWindow.at(-1);
  const spanMs = oldest !== undefined && newest !== undefined ? newest.t - oldest.t : 0;
  const breakIsInsideWindow = run[0] !== undefined && run[0].t >= windowStart;
  return {
    samples: inWindow,
    complete: inWindow.length >= thresholds.minSamples && spanMs >= thresholds.completeFraction * thresholds.windowMs,
    spanMs,
    restartedBy: breakIsInsideWindow ? brokeAt : 'none',
  };
}
