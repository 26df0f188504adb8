'use client';
import { useEffect, useState } from 'react';

type Theme = 'light' | 'dark';

/** Follows the system until the user picks; the choice is kept in localStorage and applied before paint (layout). */
export function ThemeToggle() {
  const [theme, setTheme] = useState<Theme | null>(null);
  useEffect(() => {
    setTheme(document.documentElement.dataset.theme === 'dark' ? 'dark' : 'light');
  }, []);
  const toggle = () => {
    const next: Theme = theme === 'dark' ? 'light' : 'dark';
    document.documentElement.dataset.theme = next;
    localStorage.setItem('topolog-theme', next);
    setTheme(next);
  };
  return (
    <button type="button" className="button ghost" onClick={toggle} aria-label="Toggle dark mode" title="Toggle dark mode">
      {theme === 'dark' ? '☀ Light' : '☾ Dark'}
    </button>
  );
}
