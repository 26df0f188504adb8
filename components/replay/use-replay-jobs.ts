'use client';
import { z } from 'zod';
import { useCallback, useEffect, useRef, useState } from 'react';
import { replayJobListResponseSchema, replayJobSchema, type ReplayJob, type ReplayJobAction } from '../../lib/contract';
import { isFinished } from '../../lib/replay/job-view';
import { api, asProblem, getJson, postJson, type WriteProblem } from './replay-api';

/**
 * Polls a GET every `intervalMs` (jobs run on the server; the page only watches), one request at a time, and
 * stops once `done` says the answer will not change.
 */
function usePoll<T>(url: string, load: (url: string) => Promise<T>, intervalMs: number, done: (value: T) => boolean) {
  const [data, setData] = useState<T | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [kick, setKick] = useState(0);
  const doneRef = useRef(done);
  doneRef.current = done;
  useEffect(() => {
    let live = true;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const tick = async () => {
      try {
        const value = await load(url);
        if (!live) return;
        setData(value);
        setError(null);
        if (doneRef.current(value)) return;
      } catch (err) {
        if (!live) return;
        setError(asProblem(err).message);
      }
      timer = setTimeout(() => void tick(), intervalMs);
    };
    void tick();
    return () => {
      live = false;
      clearTimeout(timer);
    };
  }, [url, load, intervalMs, kick]);
  const refresh = useCallback(() => setKick((k) => k + 1), []);
  return { data, error, refresh };
}

const loadJob = (url: string) => getJson(url, replayJobSchema);
const loadJobs = (url: string) => getJson(url, replayJobListResponseSchema).then((r) => [...r.jobs].sort((a, b) => b.createdAt - a.createdAt));
const never = () => false;

/** One job, polled about every second until it completes or is cancelled; with its pause/resume/cancel. */
export function useReplayJob(cluster: string, id: string) {
  const job = usePoll(api.replayJob(cluster, id), loadJob, 1000, (j: ReplayJob) => isFinished(j.state));
  const [busy, setBusy] = useState<ReplayJobAction | null>(null);
  const [problem, setProblem] = useState<WriteProblem | null>(null);
  const { refresh } = job;
  const act = useCallback(
    async (action: ReplayJobAction) => {
      setBusy(action);
      setProblem(null);
      try {
        await postJson(`${api.replayJob(cluster, id)}/${action}`, z.unknown());
      } catch (err) {
        setProblem(asProblem(err));
      } finally {
        setBusy(null);
        // A resumed job polls again even if it had stopped polling as finished.
        refresh();
      }
    },
    [cluster, id, refresh],
  );
  return { job: job.data, error: job.error, busy, problem, act };
}

/** The cluster's jobs, newest first, every 2 s (progress bars on the list move too). */
export const useReplayJobs = (cluster: string) => usePoll(api.replayJobs(cluster), loadJobs, 2000, never);
