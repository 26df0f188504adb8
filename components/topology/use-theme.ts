'use client';
import { useEffect, useState } from 'react';

/** The page theme (set on <html data-theme> by the layout and the theme toggle), followed live. */
export function useTheme(): 'light' | 'dark' {
  // The map renders only in the browser (after the cluster list loads), so the first value can be the real one.
  const [theme, setTheme] = useState<'light' | 'dark'>(() => (typeof document !== 'undefined' && document.documentElement.dataset.theme === 'dark' ? 'dark' : 'light'));
  useEffect(() => {
    const read = () => setTheme(document.documentElement.dataset.theme === 'dark' ? 'dark' : 'light');
    read();
    const observer = new MutationObserver(read);
    observer.observe(document.documentElement, { attributes: true, attributeFilter: ['data-theme'] });
    return () => observer.disconnect();
  }, []);
  return theme;
}
