'use client';
import { useId, useState, type ReactNode } from 'react';

/**
 * The last step before a write: when the server asks for it (`name`), the person types the group or topic name,
 * so a reset is never one stray click away. Without a name, the button alone confirms.
 */
export function ConfirmByName({ name, what, action, busy, disabled, onConfirm, children }: {
  name: string | null;
  /** "group" or "target topic": what the typed name is. */
  what: string;
  /** The button's words: "Reset offsets", "Start replay". */
  action: string;
  busy: boolean;
  disabled?: boolean;
  onConfirm: (typed: string | undefined) => void;
  /** A sentence above the input: what will happen. */
  children?: ReactNode;
}) {
  const id = useId();
  const [typed, setTyped] = useState('');
  const matches = name === null || typed === name;
  return (
    <form
      className="confirm-box"
      data-testid="confirm-box"
      onSubmit={(e) => {
        e.preventDefault();
        if (matches && !busy && !disabled) onConfirm(name === null ? undefined : typed);
      }}
    >
      {children ? <div className="confirm-what">{children}</div> : null}
      {name !== null ? (
        <label htmlFor={id} className="confirm-label">
          Type the {what} <strong className="mono">{name}</strong> to confirm
        </label>
      ) : null}
      <div className="confirm-row">
        {name !== null ? (
          <input id={id} className="mono confirm-input" value={typed} onChange={(e) => setTyped(e.target.value)} autoComplete="off" spellCheck={false} aria-invalid={typed !== '' && !matches} data-testid="confirm-input" />
        ) : null}
        <button type="submit" className="button danger" disabled={!matches || busy || disabled} data-testid="confirm-execute">
          {busy ? 'Working…' : action}
        </button>
      </div>
      {typed !== '' && !matches ? <p className="small warn-text">Does not match {name} yet.</p> : null}
    </form>
  );
}
