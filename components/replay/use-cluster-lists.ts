'use client';
import { useEffect, useState } from 'react';
import { groupDetailResponseSchema, groupsResponseSchema, topicsResponseSchema, type GroupDetailResponse } from '../../lib/contract';
import { api, asProblem, getJson } from './replay-api';

/** One GET, once per key: the lists the write forms pick from (they need no live updates). */
function useOnce<T>(url: string | null, load: (url: string) => Promise<T>): { data: T | null; error: string | null } {
  const [state, setState] = useState<{ url: string | null; data: T | null; error: string | null }>({ url: null, data: null, error: null });
  useEffect(() => {
    if (!url) return;
    let live = true;
    load(url)
      .then((data) => live && setState({ url, data, error: null }))
      .catch((err: unknown) => live && setState({ url, data: null, error: asProblem(err).message }));
    return () => {
      live = false;
    };
  }, [url, load]);
  return state.url === url ? { data: state.data, error: state.error } : { data: null, error: null };
}

const loadGroup = (url: string) => getJson(url, groupDetailResponseSchema);
const loadGroupIds = (url: string) => getJson(url, groupsResponseSchema).then((r) => r.groups.map((g) => g.id).sort());
const loadTopics = (url: string) => getJson(url, topicsResponseSchema).then((r) => r.topics.filter((t) => !t.internal).map((t) => ({ name: t.name, partitions: t.partitions })).sort((a, b) => a.name.localeCompare(b.name)));

export const useGroupDetail = (cluster: string, group: string): { data: GroupDetailResponse | null; error: string | null } => useOnce(api.group(cluster, group), loadGroup);
export const useGroupIds = (cluster: string) => useOnce(api.groups(cluster), loadGroupIds);
export const useTopicList = (cluster: string) => useOnce(api.topics(cluster), loadTopics);
