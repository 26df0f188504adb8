'use client';
import { useEffect, useState } from 'react';

/** The current time, re-rendered every `intervalMs`: ages ("12 s ago") and staleness stay honest between ticks. */
export function useNow(intervalMs = 1000): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), intervalMs);
    return () => clearInterval(timer);
  }, [intervalMs]);
  return now;
}
