'use client';
import { useEffect, useState } from 'react';
import { z } from 'zod';
import { deadLetterInfoSchema, type DeadLetterInfo } from '../../lib/contract';
import { api, getJson } from './replay-api';

const deadLetterResponseSchema = z.object({ deadLetter: deadLetterInfoSchema.nullable() });

/**
 * Whether a topic is a dead-letter topic, and of what: `undefined` while asking, null when it is not one (or the
 * server cannot say; the redrive offer is a convenience, its absence is not an error).
 */
export function useDeadLetter(cluster: string, topic: string | null): DeadLetterInfo | null | undefined {
  const [state, setState] = useState<{ key: string; info: DeadLetterInfo | null } | null>(null);
  const key = `${cluster}/${topic ?? ''}`;
  useEffect(() => {
    if (!topic) return;
    let live = true;
    getJson(api.deadLetter(cluster, topic), deadLetterResponseSchema)
      .then((r) => live && setState({ key, info: r.deadLetter }))
      .catch(() => live && setState({ key, info: null }));
    return () => {
      live = false;
    };
  }, [cluster, topic, key]);
  if (!topic) return null;
  return state?.key === key ? state.info : undefined;
}
