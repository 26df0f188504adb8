'use client';
import { useCallback, useState } from 'react';

/**
 * State mirrored into the address's query string, so a filtered list is a link to share or reload. The server page
 * parses the first value; later changes use history.replaceState, which Next's router picks up without a server
 * round trip on every keystroke (and without a history entry per keystroke).
 */
export function useUrlState<T>(initial: T, toQuery: (value: T) => string): [T, (next: T) => void] {
  const [value, setValue] = useState(initial);
  const update = useCallback(
    (next: T) => {
      setValue(next);
      const url = `${window.location.pathname}${toQuery(next)}${window.location.hash}`;
      if (url !== `${window.location.pathname}${window.location.search}${window.location.hash}`) window.history.replaceState(null, '', url);
    },
    [toQuery],
  );
  return [value, update];
}
