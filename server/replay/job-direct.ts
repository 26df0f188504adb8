import type { ReplayRequest } from '../../lib/contract/replay';
import type { ClusterConfig } from '../config/schema';
import { MessagesService } from '../messages/messages-service';
import { planReplay } from './job-plan';
import { JobRunner } from './job-runner';
import { initialProgress, type JobProgress } from './job-types';

export interface DirectReplayResult {
  /** Wall time of the copy alone (the plan's dry run is not counted). */
  ms: number;
  written: number;
  scanned: number;
  bytes: number;
  recordsPerSecond: number;
  progress: JobProgress;
}

/**
 * One replay run without the HTTP server, the audit log or the store: plans the request (resolves the ranges, the
 * same guard rails), then times the same JobRunner the job service uses, with checkpoints kept in memory. For the
 * benchmark against kcat (bench/), and for scripts.
 */
export async function replayDirect(clusters: readonly ClusterConfig[], request: ReplayRequest, options: { jobId?: string; log?: (line: string) => void } = {}): Promise<DirectReplayResult> {
  const messages = new MessagesService(clusters);
  try {
    const plan = await planReplay(request, { messages, compacted: async () => null });
    const target = clusters.find((c) => c.id === request.target.cluster);
    if (!target) throw new Error(`No cluster "${request.target.cluster}" in the list given.`);
    let progress = initialProgress(plan.ranges);
    const runner = new JobRunner({
      jobId: options.jobId ?? `direct-${Date.now().toString(36)}`,
      request,
      ranges: plan.ranges,
      source: messages.client(request.source.cluster),
      target: messages.client(request.target.cluster),
      targetCluster: target,
      filter: messages.filter(request.filter),
      progress,
      checkpoint: (p) => (progress = p),
      log: options.log,
    });
    const started = performance.now();
    await runner.run();
    const ms = performance.now() - started;
    progress = runner.progress;
    return { ms, written: progress.written, scanned: progress.scanned, bytes: progress.bytes, recordsPerSecond: ms > 0 ? Math.round((progress.written * 1000) / ms) : 0, progress };
  } finally {
    await messages.close();
  }
}
