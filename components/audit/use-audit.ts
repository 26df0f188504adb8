'use client';
import { useCallback, useEffect, useState } from 'react';
import { auditListResponseSchema, type AuditAction, type AuditEntry } from '../../lib/contract';
import { api, asProblem, getJson } from '../replay/replay-api';

const PAGE = 50;

/** The cluster's audit log, newest first, a page at a time; "older" appends the next page. */
export function useAudit(cluster: string, action: AuditAction | null) {
  const [entries, setEntries] = useState<AuditEntry[] | null>(null);
  const [nextBefore, setNextBefore] = useState<number | null>(null);
  const [loading, setLoading] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [version, setVersion] = useState(0);

  useEffect(() => {
    let live = true;
    setLoading(true);
    getJson(api.audit(cluster, { limit: PAGE, action }), auditListResponseSchema)
      .then((r) => live && (setEntries(r.entries), setNextBefore(r.nextBefore), setError(null)))
      .catch((err: unknown) => live && setError(asProblem(err).message))
      .finally(() => live && setLoading(false));
    return () => {
      live = false;
    };
  }, [cluster, action, version]);

  const older = useCallback(async () => {
    if (nextBefore === null) return;
    setLoading(true);
    try {
      const r = await getJson(api.audit(cluster, { before: nextBefore, limit: PAGE, action }), auditListResponseSchema);
      setEntries((prev) => [...(prev ?? []), ...r.entries]);
      setNextBefore(r.nextBefore);
    } catch (err) {
      setError(asProblem(err).message);
    } finally {
      setLoading(false);
    }
  }, [cluster, action, nextBefore]);
  const reload = useCallback(() => setVersion((v) => v + 1), []);
  return { entries, nextBefore, loading, error, older, reload };
}
