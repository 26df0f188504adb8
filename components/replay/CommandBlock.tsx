'use client';
import { useState } from 'react';

/** A command (or CSV) to read and copy as text; the copy button says when it worked. */
export function CommandBlock({ label, text, testId }: { label: string; text: string; testId: string }) {
  const [copied, setCopied] = useState<'yes' | 'no' | null>(null);
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(text);
      setCopied('yes');
    } catch {
      // No clipboard (plain http on another host): the text is selectable, say so.
      setCopied('no');
    }
    setTimeout(() => setCopied(null), 2000);
  };
  return (
    <div className="command-block">
      <div className="command-head">
        <span className="small muted">{label}</span>
        <button type="button" className="button small" onClick={() => void copy()} aria-label={`Copy ${label}`} data-testid={`${testId}-copy`}>
          {copied === 'yes' ? 'Copied ✓' : copied === 'no' ? 'Select and copy by hand' : 'Copy'}
        </button>
      </div>
      <pre className="mono command-text" data-testid={testId}>{text}</pre>
    </div>
  );
}
