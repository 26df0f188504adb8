'use client';
import { useEffect, useRef } from 'react';

export const SEARCH_INPUT_ID = 'map-search';

/**
 * Keyboard shortcuts: `/` search, `f` fit the map, `Esc` clear selection, search and focus, Enter in the search box
 * selects the best match. Letters typed into a field stay in the field.
 */
export function useMapKeys(actions: { fit: () => void; clear: () => void; selectFirstMatch: () => void }): void {
  const ref = useRef(actions);
  ref.current = actions;
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const target = e.target as HTMLElement | null;
      const typing = target?.closest('input, textarea, select, [contenteditable="true"]') !== null && target !== null;
      if (e.key === 'Escape') {
        ref.current.clear();
        if (typing) target.blur();
        return;
      }
      if (typing) {
        if (e.key === 'Enter' && target.id === SEARCH_INPUT_ID) {
          e.preventDefault();
          ref.current.selectFirstMatch();
        }
        return;
      }
      if (e.ctrlKey || e.metaKey || e.altKey) return;
      if (e.key === '/') {
        e.preventDefault();
        document.getElementById(SEARCH_INPUT_ID)?.focus();
      } else if (e.key === 'f') {
        e.preventDefault();
        ref.current.fit();
      }
    };
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  }, []);
}
