'use client';
import { useCallback, useEffect, useState } from 'react';
import { resetListResponseSchema, resetPlanResponseSchema, resetRecordSchema, type ResetPlanRequest, type ResetPlanResponse, type ResetRecord } from '../../lib/contract';
import { api, asProblem, getJson, postJson, type WriteProblem } from './replay-api';

/** What the reset page shows: the form, a preview (of a reset or of an undo), or the result of an execute. */
export type ResetStep =
  | { kind: 'form' }
  | { kind: 'preview'; plan: ResetPlanResponse; undoOf: ResetRecord | null }
  | { kind: 'result'; record: ResetRecord };

/**
 * The reset flow, preview → confirm → result, for resets and undos alike (an undo is planned by the server from
 * the record, then executed the same way). Also the group's reset history, refreshed after each execute.
 */
export function useResetFlow(cluster: string, group: string) {
  const [step, setStep] = useState<ResetStep>({ kind: 'form' });
  const [busy, setBusy] = useState<'plan' | 'execute' | null>(null);
  const [problem, setProblem] = useState<WriteProblem | null>(null);
  const history = useResetHistory(cluster, group);

  const run = useCallback(async <T,>(what: 'plan' | 'execute', work: () => Promise<T>, then: (value: T) => void) => {
    setBusy(what);
    setProblem(null);
    try {
      then(await work());
    } catch (err) {
      setProblem(asProblem(err));
    } finally {
      setBusy(null);
    }
  }, []);

  const preview = useCallback(
    (request: ResetPlanRequest) => run('plan', () => postJson(api.resetPlan(cluster, group), resetPlanResponseSchema, request), (plan) => setStep({ kind: 'preview', plan, undoOf: null })),
    [cluster, group, run],
  );
  const previewUndo = useCallback(
    (record: ResetRecord) => run('plan', () => postJson(api.undoPlan(cluster, group, record.id), resetPlanResponseSchema), (plan) => setStep({ kind: 'preview', plan, undoOf: record })),
    [cluster, group, run],
  );
  const execute = useCallback(
    (plan: ResetPlanResponse, confirm: string | undefined) =>
      run(
        'execute',
        () => postJson(api.resetExecute(cluster, group), resetRecordSchema, { planId: plan.planId, planHash: plan.planHash, ...(confirm !== undefined ? { confirm } : {}) }),
        (record) => {
          setStep({ kind: 'result', record });
          history.reload();
        },
      ),
    [cluster, group, run, history],
  );
  const back = useCallback(() => {
    setProblem(null);
    setStep({ kind: 'form' });
  }, []);
  return { step, busy, problem, preview, previewUndo, execute, back, history };
}

/** The group's past resets, newest first. */
function useResetHistory(cluster: string, group: string) {
  const [resets, setResets] = useState<ResetRecord[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [version, setVersion] = useState(0);
  useEffect(() => {
    let live = true;
    getJson(api.resets(cluster, group), resetListResponseSchema)
      .then((r) => live && (setResets([...r.resets].sort((a, b) => b.at - a.at)), setError(null)))
      .catch((err: unknown) => live && setError(asProblem(err).message));
    return () => {
      live = false;
    };
  }, [cluster, group, version]);
  const reload = useCallback(() => setVersion((v) => v + 1), []);
  return { resets, error, reload };
}
