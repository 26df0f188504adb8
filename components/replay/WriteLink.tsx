'use client';
import Link from 'next/link';
import './replay.css';

export const READ_ONLY_WHY = 'cluster is read-only';

/**
 * A link into a write flow (reset, replay, redrive). On a read-only cluster it shows as a disabled button with the
 * reason as its tooltip, so the way is visible but plainly closed.
 */
export function WriteLink({ href, readOnly, children, testId, className = 'button small', title }: { href: string; readOnly: boolean; children: string; testId: string; className?: string; title?: string }) {
  if (readOnly) {
    return (
      // A disabled button gets no pointer events in some browsers: the wrapper carries the tooltip.
      <span title={READ_ONLY_WHY} className="write-disabled">
        <button type="button" className={className} disabled aria-label={`${children} (${READ_ONLY_WHY})`} data-testid={testId}>
          {children}
        </button>
      </span>
    );
  }
  return (
    <Link href={href} className={className} title={title} data-testid={testId}>
      {children}
    </Link>
  );
}
