'use client';
import type { ZodType } from 'zod';
import { filterErrorSchema, writeErrorSchema, type FilterError, type GroupMemberRef } from '../../lib/contract';

/**
 * Calls to the reset, replay and audit routes. A refused or failed write throws a WriteProblem carrying the
 * server's message, hint, the members blocking a reset and the audit entry, so the page can show all of it.
 */
export class WriteProblem extends Error {
  constructor(
    message: string,
    readonly status: number,
    readonly code: string | null,
    readonly hint: string | null,
    readonly members: GroupMemberRef[],
    readonly auditId: number | null,
    readonly filterError: FilterError | null,
  ) {
    super(message);
  }
}

async function call<T>(method: 'GET' | 'POST', url: string, schema: ZodType<T>, body?: unknown): Promise<T> {
  let res: Response;
  try {
    res = await fetch(url, { method, headers: body === undefined ? undefined : { 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });
  } catch {
    throw new WriteProblem('The Topolog server did not answer.', 0, null, 'Check that it is running, then try again.', [], null, null);
  }
  const json: unknown = await res.json().catch(() => null);
  if (!res.ok) {
    const parsed = writeErrorSchema.safeParse(json);
    const filterError = filterErrorSchema.safeParse((json as { filterError?: unknown } | null)?.filterError);
    if (parsed.success) {
      const e = parsed.data;
      throw new WriteProblem(e.message, res.status, e.error, e.hint ?? null, e.members ?? [], e.auditId ?? null, filterError.success ? filterError.data : null);
    }
    throw new WriteProblem(res.status === 404 ? 'This route is not on the server (is it an older Topolog?).' : `The server answered ${res.status}.`, res.status, null, null, [], null, null);
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success) throw new WriteProblem('The server answered with something this page does not understand; reload the page.', res.status, 'bad_response', parsed.error.issues[0]?.message ?? null, [], null, null);
  return parsed.data;
}

export const getJson = <T>(url: string, schema: ZodType<T>) => call('GET', url, schema);
export const postJson = <T>(url: string, schema: ZodType<T>, body: unknown = {}) => call('POST', url, schema, body);

const c = (cluster: string) => `/api/clusters/${encodeURIComponent(cluster)}`;
export const api = {
  group: (cluster: string, group: string) => `${c(cluster)}/groups/${encodeURIComponent(group)}`,
  groups: (cluster: string) => `${c(cluster)}/groups`,
  topics: (cluster: string) => `${c(cluster)}/topics`,
  topic: (cluster: string, topic: string) => `${c(cluster)}/topics/${encodeURIComponent(topic)}`,
  resets: (cluster: string, group: string) => `${c(cluster)}/groups/${encodeURIComponent(group)}/resets`,
  resetPlan: (cluster: string, group: string) => `${api.resets(cluster, group)}/plan`,
  resetExecute: (cluster: string, group: string) => `${api.resets(cluster, group)}/execute`,
  undoPlan: (cluster: string, group: string, id: string) => `${api.resets(cluster, group)}/${encodeURIComponent(id)}/undo/plan`,
  replayPlan: (cluster: string) => `${c(cluster)}/replay/plan`,
  replayExecute: (cluster: string) => `${c(cluster)}/replay/execute`,
  replayJobs: (cluster: string) => `${c(cluster)}/replay/jobs`,
  replayJob: (cluster: string, id: string) => `${c(cluster)}/replay/jobs/${encodeURIComponent(id)}`,
  deadLetter: (cluster: string, topic: string) => `${c(cluster)}/topics/${encodeURIComponent(topic)}/dead-letter`,
  audit: (cluster: string, q: { before?: number | null; limit?: number; action?: string | null }) => {
    const p = new URLSearchParams();
    if (q.before) p.set('before', String(q.before));
    if (q.limit) p.set('limit', String(q.limit));
    if (q.action) p.set('action', q.action);
    const s = p.toString();
    return `${c(cluster)}/audit${s ? `?${s}` : ''}`;
  },
};

/** A problem of any kind as the pieces a notice shows. */
export function asProblem(err: unknown): WriteProblem {
  return err instanceof WriteProblem ? err : new WriteProblem(err instanceof Error ? err.message : String(err), 0, null, null, [], null, null);
}
