'use client';
import { useCallback, useEffect, useState } from 'react';
import { browseResponseSchema, filterErrorSchema, topicDetailResponseSchema, type BrowseResponse, type FilterError, type TopicDetailResponse } from '../../lib/contract';
import { browseApiUrl, normalizeBrowseParams, type BrowseParams } from '../../lib/messages/browse-params';

/** What went wrong with an API call, as the server said it: the message and hint are for people. */
export interface ApiProblem {
  /** HTTP status; 0 when the server could not be reached at all. */
  status: number;
  /** The API's error code (`invalid_filter`, `unknown_topic`, `read_only`, ...), null when it sent none. */
  error: string | null;
  message: string;
  hint: string | null;
  /** With `invalid_filter`: what is wrong with the expression and where. */
  filterError: FilterError | null;
}

export class ApiRequestError extends Error {
  constructor(readonly problem: ApiProblem) {
    super(problem.message);
  }
}

/** The API's error body `{ error, message, hint?, filterError? }`, read defensively. */
function problemOf(status: number, body: unknown): ApiProblem {
  const b = (body && typeof body === 'object' ? body : {}) as Record<string, unknown>;
  const filterError = filterErrorSchema.safeParse(b.filterError);
  const message = typeof b.message === 'string' && b.message !== '' ? b.message : status === 503 ? 'The cluster is not answering.' : `The server answered ${status}.`;
  return {
    status,
    error: typeof b.error === 'string' ? b.error : null,
    message,
    hint: typeof b.hint === 'string' && b.hint !== '' ? b.hint : null,
    filterError: filterError.success ? filterError.data : null,
  };
}

/** fetch + JSON; a non-2xx answer or a network failure throws an ApiRequestError with the server's own words. */
export async function requestJson(url: string, init?: RequestInit): Promise<unknown> {
  let res: Response;
  try {
    res = await fetch(url, init);
  } catch (err) {
    if (err instanceof DOMException && err.name === 'AbortError') throw err;
    throw new ApiRequestError({ status: 0, error: 'network', message: 'Could not reach the Topolog server.', hint: 'Check that it is running, then try again.', filterError: null });
  }
  const body: unknown = await res.json().catch(() => null);
  if (!res.ok) throw new ApiRequestError(problemOf(res.status, body));
  return body;
}

export function problemFrom(err: unknown): ApiProblem {
  if (err instanceof ApiRequestError) return err.problem;
  return { status: 0, error: null, message: err instanceof Error ? err.message : String(err), hint: null, filterError: null };
}

const isAbort = (err: unknown) => err instanceof DOMException && err.name === 'AbortError';

/** A response that does not match the contract: say so plainly instead of rendering half of it. */
function contractProblem(what: string, issue: string | undefined): ApiProblem {
  return { status: 200, error: 'bad_response', message: `The server sent ${what} this page does not understand${issue ? ` (${issue})` : ''}.`, hint: 'The server and the page may be different versions: reload the page.', filterError: null };
}

export interface BrowseState {
  /** `idle` while disabled (the live tail is on). */
  status: 'idle' | 'loading' | 'ok' | 'error';
  /** The page shown, kept while the next one loads. */
  response: BrowseResponse | null;
  /** The browse state `response` was read with: the summary describes this, not what the controls hold now. */
  shownParams: BrowseParams | null;
  /** The cursor `response` was read with; null for the first page. */
  shownCursor: string | null;
  problem: ApiProblem | null;
  /** When the page arrived (browser clock), for "read 12 s ago". */
}

export interface Browse extends BrowseState {
  /** Reads the page a cursor (`next` or `previous` of the shown page) points at. */
  goTo: (cursor: string) => void;
  /** Back to the first page of the current state (or reads it again). */
  reload: () => void;
}

/**
 * Pages of records for a browse state. The first page comes from the state (partitions, start, ...); later ones
 * from the cursors the server hands out, which stay here and never go into the address. A new state starts again
 * at its first page; a request superseded by another is aborted.
 */
export function useBrowse(cluster: string, topic: string, params: BrowseParams, enabled: boolean): Browse {
  const base = browseApiUrl(cluster, topic, params);
  const [page, setPage] = useState<{ base: string; cursor: string | null; nonce: number }>({ base, cursor: null, nonce: 0 });
  const cursor = page.base === base ? page.cursor : null;
  const nonce = page.base === base ? page.nonce : 0;
  const [state, setState] = useState<BrowseState>({ status: enabled ? 'loading' : 'idle', response: null, shownParams: null, shownCursor: null, problem: null });
  const paramsJson = JSON.stringify(normalizeBrowseParams(params));

  useEffect(() => {
    if (!enabled) {
      setState((s) => ({ ...s, status: 'idle' }));
      return;
    }
    const requested = JSON.parse(paramsJson) as BrowseParams;
    const controller = new AbortController();
    setState((s) => ({ ...s, status: 'loading', problem: null }));
    requestJson(browseApiUrl(cluster, topic, requested, cursor), { signal: controller.signal, headers: { accept: 'application/json' } })
      .then((body) => {
        if (controller.signal.aborted) return;
        const parsed = browseResponseSchema.safeParse(body);
        if (!parsed.success) {
          const issue = parsed.error.issues[0];
          setState({ status: 'error', response: null, shownParams: null, shownCursor: null, problem: contractProblem('a page', issue ? `${issue.path.join('.')}: ${issue.message}` : undefined) });
          return;
        }
        setState({ status: 'ok', response: parsed.data, shownParams: requested, shownCursor: cursor, problem: null });
      })
      .catch((err: unknown) => {
        if (controller.signal.aborted || isAbort(err)) return;
        // A page of other params next to an error would be read as the answer: drop it.
        setState({ status: 'error', response: null, shownParams: requested, shownCursor: cursor, problem: problemFrom(err) });
      });
    return () => controller.abort();
  }, [cluster, topic, paramsJson, cursor, nonce, enabled]);

  const goTo = useCallback((next: string) => setPage((p) => ({ base, cursor: next, nonce: (p.base === base ? p.nonce : 0) + 1 })), [base]);
  const reload = useCallback(() => setPage((p) => ({ base, cursor: null, nonce: (p.base === base ? p.nonce : 0) + 1 })), [base]);
  return { ...state, goTo, reload };
}

export interface TopicMeta {
  detail: TopicDetailResponse | null;
  /** Partition count, null until known. */
  partitionCount: number | null;
  problem: ApiProblem | null;
}

/** The topic's partitions (for the partition picker and the produce form), read once per topic. */
export function useTopicMeta(cluster: string, topic: string): TopicMeta {
  const [meta, setMeta] = useState<TopicMeta>({ detail: null, partitionCount: null, problem: null });
  useEffect(() => {
    const controller = new AbortController();
    setMeta({ detail: null, partitionCount: null, problem: null });
    requestJson(`/api/clusters/${encodeURIComponent(cluster)}/topics/${encodeURIComponent(topic)}`, { signal: controller.signal })
      .then((body) => {
        if (controller.signal.aborted) return;
        const parsed = topicDetailResponseSchema.safeParse(body);
        if (!parsed.success) {
          setMeta({ detail: null, partitionCount: null, problem: contractProblem('topic details', parsed.error.issues[0]?.message) });
          return;
        }
        const count = Math.max(parsed.data.topic.partitions, parsed.data.partitions.length);
        setMeta({ detail: parsed.data, partitionCount: count, problem: null });
      })
      .catch((err: unknown) => {
        if (controller.signal.aborted || isAbort(err)) return;
        setMeta({ detail: null, partitionCount: null, problem: problemFrom(err) });
      });
    return () => controller.abort();
  }, [cluster, topic]);
  return meta;
}
