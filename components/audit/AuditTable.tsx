'use client';
import Link from 'next/link';
import { Fragment, useState } from 'react';
import type { AuditEntry } from '../../lib/contract';
import { groupHref, replayJobHref, topicHref } from '../../lib/links';

const OUTCOME_TONE: Record<AuditEntry['outcome'], string> = { ok: 'ok', partial: 'warn', failed: 'danger', refused: 'danger', pending: 'warn' };
const OUTCOME_NOTE: Partial<Record<AuditEntry['outcome'], string>> = {
  pending: 'recorded before it ran and not finished: still running, or Topolog stopped in between',
  refused: 'refused before anything was written',
};

/** "group:email-service" → a link to the group; topics and jobs likewise; anything else as text. */
function Target({ cluster, target }: { cluster: string; target: string }) {
  const at = target.indexOf(':');
  const kind = at > 0 ? target.slice(0, at) : '';
  const name = at > 0 ? target.slice(at + 1) : target;
  const href = kind === 'group' ? groupHref(cluster, name) : kind === 'topic' ? topicHref(cluster, name) : kind === 'job' ? replayJobHref(cluster, name) : null;
  return (
    <>
      {kind ? <span className="muted small">{kind} </span> : null}
      {href ? <Link href={href} className="mono">{name}</Link> : <span className="mono">{name}</span>}
    </>
  );
}

const pretty = (v: unknown) => (v === undefined || v === null ? 'null' : JSON.stringify(v, null, 2));

/** The audit entries, newest first; a row opens to show its parameters and result as JSON. */
export function AuditTable({ cluster, entries }: { cluster: string; entries: AuditEntry[] }) {
  const [open, setOpen] = useState<Set<number>>(new Set());
  const toggle = (id: number) => setOpen((s) => { const next = new Set(s); if (next.has(id)) next.delete(id); else next.add(id); return next; });
  return (
    <table className="table audit-table" data-testid="audit-table">
      <thead>
        <tr><th>Time</th><th>Actor</th><th>Action</th><th>Target</th><th>Outcome</th><th>Details</th></tr>
      </thead>
      <tbody>
        {entries.map((e) => (
          <Fragment key={e.id}>
            <tr data-testid="audit-row" data-action={e.action} data-outcome={e.outcome}>
              <td className="nowrap">{new Date(e.at).toLocaleString()}</td>
              <td className="small audit-actor" title={e.actor}>{e.actor}</td>
              <td className="mono">{e.action}</td>
              <td><Target cluster={cluster} target={e.target} /></td>
              <td><span className={`rbadge rbadge-${OUTCOME_TONE[e.outcome]}`} title={OUTCOME_NOTE[e.outcome]}>{e.outcome}</span></td>
              <td>
                <button type="button" className="button small ghost" aria-expanded={open.has(e.id)} aria-controls={`audit-${e.id}`} onClick={() => toggle(e.id)}>
                  {open.has(e.id) ? 'Hide' : 'Show'} #{e.id}
                </button>
              </td>
            </tr>
            {open.has(e.id) ? (
              <tr id={`audit-${e.id}`} className="audit-details">
                <td colSpan={6}>
                  <div className="audit-json">
                    <div><h3>Parameters</h3><pre className="mono">{pretty(e.params)}</pre></div>
                    <div><h3>Result{e.finishedAt ? ` (at ${new Date(e.finishedAt).toLocaleTimeString()})` : ''}</h3><pre className="mono">{pretty(e.result)}</pre></div>
                  </div>
                </td>
              </tr>
            ) : null}
          </Fragment>
        ))}
      </tbody>
    </table>
  );
}
