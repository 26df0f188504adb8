'use client';
import Link from 'next/link';
import { useMemo, useState } from 'react';
import type { ClusterInfo } from '../../lib/contract';
import { groupHref } from '../../lib/links';
import { fromDatetimeLocal } from '../../lib/messages/browse-params';
import { buildResetRequest, INITIAL_RESET_FORM, partitionsByTopic, type ResetFormState } from '../../lib/replay/reset-form';
import { ClusterShell } from '../overview/ClusterShell';
import { useNow } from '../realtime/use-now';
import { ProblemNotice } from './ProblemNotice';
import { ResetForm } from './ResetForm';
import { ResetHistory } from './ResetHistory';
import { ResetPreview } from './ResetPreview';
import { ResetResult } from './ResetResult';
import { useGroupDetail, useGroupIds } from './use-cluster-lists';
import { useResetFlow } from './use-reset-flow';
import '../ui/entity.css';
import './replay.css';

function ResetView({ cluster, group, info }: { cluster: string; group: string; info: ClusterInfo | undefined }) {
  const now = useNow(10_000);
  const detail = useGroupDetail(cluster, group);
  const groups = useGroupIds(cluster);
  const flow = useResetFlow(cluster, group);
  const [form, setForm] = useState<ResetFormState>(INITIAL_RESET_FORM);
  const [formError, setFormError] = useState<string | null>(null);
  const partitions = useMemo(() => partitionsByTopic(detail.data?.partitions ?? []), [detail.data]);
  const otherGroups = useMemo(() => groups.data?.filter((g) => g !== group) ?? null, [groups.data, group]);
  const members = detail.data?.group.members ?? [];

  const preview = () => {
    const built = buildResetRequest(form, Date.now(), fromDatetimeLocal);
    setFormError(built.ok ? null : built.error);
    if (built.ok) void flow.preview(built.value);
  };
  const step = flow.step;
  return (
    <div className="entity-page replay-page" data-testid="reset-page">
      <header className="entity-title">
        <p className="entity-kind">Consumer group · offset reset{detail.data ? ` · ${detail.data.group.state}` : ''}</p>
        <h1 className="mono" data-testid="reset-group">{group}</h1>
        <div className="entity-links">
          <Link href={groupHref(cluster, group)}>← Back to the group</Link>
          <span className="muted small">Preview → confirm → result. Every reset is audited and can be undone.</span>
        </div>
      </header>
      {info?.readOnly ? <p className="notice notice-warn" role="status">This cluster is read-only: you can preview, but no reset will run.</p> : null}
      {members.length > 0 && step.kind === 'form' ? (
        <p className="notice notice-warn" role="status" data-testid="reset-members-warning">
          The group has {members.length} member{members.length === 1 ? '' : 's'} ({members.map((m) => m.clientId).join(', ')}). Kafka refuses a reset while any is connected: stop them first.
        </p>
      ) : null}
      {detail.error ? <p className="notice notice-warn small">Could not read the group: {detail.error}</p> : null}
      {flow.problem ? <ProblemNotice problem={flow.problem} /> : null}
      {step.kind === 'form' ? <ResetForm state={form} onChange={setForm} partitions={partitions} otherGroups={otherGroups} now={now} busy={flow.busy === 'plan'} error={formError} onPreview={preview} /> : null}
      {step.kind === 'preview' ? <ResetPreview plan={step.plan} undoOf={step.undoOf} busy={flow.busy !== null} onExecute={(confirm) => void flow.execute(step.plan, confirm)} onBack={flow.back} /> : null}
      {step.kind === 'result' ? <ResetResult record={step.record} busy={flow.busy !== null} onUndo={() => void flow.previewUndo(step.record)} onAnother={flow.back} /> : null}
      <ResetHistory resets={flow.history.resets} error={flow.history.error} busy={flow.busy !== null} onUndo={(r) => void flow.previewUndo(r)} />
    </div>
  );
}

/** `/clusters/:cluster/groups/:group/reset`: move a group's committed offsets, previewed, confirmed, undoable. */
export function ResetPage({ cluster, group }: { cluster: string; group: string }) {
  return (
    <ClusterShell cluster={cluster} view="reset">
      {({ info }) => <ResetView key={`${cluster}/${group}`} cluster={cluster} group={group} info={info} />}
    </ClusterShell>
  );
}
