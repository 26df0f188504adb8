'use client';
import { useId, useState } from 'react';
import { auditActionSchema, type AuditAction } from '../../lib/contract';
import { ClusterShell } from '../overview/ClusterShell';
import { AuditTable } from './AuditTable';
import { useAudit } from './use-audit';
import '../ui/entity.css';
import '../replay/replay.css';
import './audit.css';

function AuditView({ cluster }: { cluster: string }) {
  const id = useId();
  const [action, setAction] = useState<AuditAction | null>(null);
  const audit = useAudit(cluster, action);
  return (
    <div className="entity-page" data-testid="audit-page">
      <header className="entity-title">
        <p className="entity-kind">Every write, recorded before it runs</p>
        <h1>Audit log</h1>
      </header>
      <section className="panel">
        <h2>
          Entries <span className="count">{audit.entries?.length ?? '…'}{audit.nextBefore !== null ? '+' : ''}</span>
          <label htmlFor={id} className="small muted push-right">Action</label>
          <select id={id} value={action ?? ''} onChange={(e) => setAction(e.target.value === '' ? null : (e.target.value as AuditAction))} data-testid="audit-action">
            <option value="">all actions</option>
            {auditActionSchema.options.map((a) => (
              <option key={a} value={a}>{a}</option>
            ))}
          </select>
          <button type="button" className="button small" onClick={audit.reload} disabled={audit.loading}>Refresh</button>
        </h2>
        {audit.error ? <p className="notice notice-warn small" role="status">{audit.error}</p> : null}
        {audit.entries && audit.entries.length === 0 ? <p className="empty">No {action ?? 'write'} action recorded on this cluster yet.</p> : null}
        {audit.entries && audit.entries.length > 0 ? <AuditTable cluster={cluster} entries={audit.entries} /> : null}
        {audit.nextBefore !== null ? (
          <div className="step-body">
            <button type="button" className="button" onClick={() => void audit.older()} disabled={audit.loading} data-testid="audit-older">
              {audit.loading ? 'Loading…' : 'Older entries ↓'}
            </button>
          </div>
        ) : null}
      </section>
    </div>
  );
}

/** `/clusters/:cluster/audit`: who wrote what, when, with which outcome (refused and pending included). */
export function AuditPage({ cluster }: { cluster: string }) {
  return (
    <ClusterShell cluster={cluster} view="audit">
      <AuditView key={cluster} cluster={cluster} />
    </ClusterShell>
  );
}
