'use client';
import Link from 'next/link';
import { useRouter } from 'next/navigation';
import { useEffect, useState } from 'react';
import { replayJobSchema, replayPlanResponseSchema, type ClusterInfo, type DeadLetterInfo, type FilterError, type ReplayPlanResponse } from '../../lib/contract';
import { replayHref, replayJobHref, topicHref } from '../../lib/links';
import { fromDatetimeLocal } from '../../lib/messages/browse-params';
import { buildReplayRequest, INITIAL_REPLAY_FORM, redrivePreset, type ReplayFormState } from '../../lib/replay/replay-form';
import { ClusterShell } from '../overview/ClusterShell';
import { ProblemNotice } from './ProblemNotice';
import { api, asProblem, postJson, type WriteProblem } from './replay-api';
import { ReplayDryRun } from './ReplayDryRun';
import { ReplayForm } from './ReplayForm';
import { useTopicList } from './use-cluster-lists';
import { useDeadLetter } from './use-dead-letter';
import '../ui/entity.css';
import '../messages/messages.css';
import './replay.css';

function applyPreset(info: DeadLetterInfo): { form: ReplayFormState; label: string } {
  const { label, ...preset } = redrivePreset(info);
  return { form: { ...INITIAL_REPLAY_FORM, ...preset }, label };
}

function ReplayNewView({ cluster, topic, redrive, info }: { cluster: string; topic: string | null; redrive: boolean; info: ClusterInfo | undefined }) {
  const router = useRouter();
  const topics = useTopicList(cluster);
  const deadLetter = useDeadLetter(cluster, topic);
  const [form, setForm] = useState<ReplayFormState>({ ...INITIAL_REPLAY_FORM, sourceTopic: topic ?? '' });
  const [label, setLabel] = useState<string | null>(null);
  const [plan, setPlan] = useState<ReplayPlanResponse | null>(null);
  const [busy, setBusy] = useState<'plan' | 'start' | null>(null);
  const [problem, setProblem] = useState<WriteProblem | null>(null);
  const [formError, setFormError] = useState<string | null>(null);
  const [filterError, setFilterError] = useState<{ expression: string; error: FilterError } | null>(null);

  // The redrive preset applies once, when the server has said what the DLQ's originals are.
  const [presetApplied, setPresetApplied] = useState(false);
  useEffect(() => {
    if (redrive && deadLetter && !presetApplied) {
      const p = applyPreset(deadLetter);
      setForm(p.form);
      setLabel(p.label);
      setPresetApplied(true);
    }
  }, [redrive, deadLetter, presetApplied]);

  const change = (next: ReplayFormState) => {
    setForm(next);
    // What runs must be what was previewed: any change asks for a new dry run.
    setPlan(null);
  };
  const partitionCount = topics.data?.find((t) => t.name === form.sourceTopic.trim())?.partitions ?? null;
  const dryRun = async () => {
    const built = buildReplayRequest(form, cluster, partitionCount, fromDatetimeLocal);
    setFormError(built.ok ? null : built.error);
    if (!built.ok) return;
    setBusy('plan');
    setProblem(null);
    setFilterError(null);
    try {
      setPlan(await postJson(api.replayPlan(cluster), replayPlanResponseSchema, built.value));
    } catch (err) {
      const p = asProblem(err);
      if (p.filterError && built.value.filter) setFilterError({ expression: built.value.filter, error: p.filterError });
      else setProblem(p);
    } finally {
      setBusy(null);
    }
  };
  const start = async (confirm: string | undefined) => {
    if (!plan) return;
    setBusy('start');
    setProblem(null);
    try {
      const job = await postJson(api.replayExecute(cluster), replayJobSchema, { planId: plan.planId, planHash: plan.planHash, ...(confirm !== undefined ? { confirm } : {}) });
      router.push(replayJobHref(cluster, job.id));
    } catch (err) {
      setProblem(asProblem(err));
      setBusy(null);
    }
  };

  const offerRedrive = !redrive && deadLetter && deadLetter.originals.length > 0;
  return (
    <div className="entity-page replay-page" data-testid="replay-new-page">
      <header className="entity-title">
        <p className="entity-kind">{label ? 'Dead-letter redrive' : 'Re-produce'} · dry run → confirm → job</p>
        <h1 data-testid="replay-title">{label ?? 'New replay'}</h1>
        <div className="entity-links">
          <Link href={replayHref(cluster)}>← All replay jobs</Link>
          {topic ? <Link href={topicHref(cluster, topic)} className="tag-link mono">{topic}</Link> : null}
          {label && deadLetter ? (
            <span className="small muted" data-testid="redrive-evidence">
              Recognised as a dead-letter topic by {deadLetter.evidence.join(', ')}; originals: {deadLetter.originals.map((o) => `${o.topic} (${o.count})`).join(', ') || 'unknown'}.
            </span>
          ) : null}
        </div>
      </header>
      {redrive && deadLetter === undefined ? <p className="notice small">Reading the dead-letter topic’s headers…</p> : null}
      {redrive && deadLetter === null ? <p className="notice notice-warn" role="status">{topic} does not look like a dead-letter topic; fill in the target yourself.</p> : null}
      {offerRedrive ? (
        <p className="notice small">
          {topic} is a dead-letter topic.{' '}
          <button type="button" className="button small" onClick={() => { const p = applyPreset(deadLetter); change(p.form); setLabel(p.label); }}>
            Use the redrive preset (→ {deadLetter.originals[0]!.topic})
          </button>
        </p>
      ) : null}
      {info?.readOnly ? <p className="notice notice-warn" role="status">This cluster is read-only: you can dry-run, but no job will start.</p> : null}
      {problem ? <ProblemNotice problem={problem} /> : null}
      <ReplayForm state={form} onChange={change} topics={topics.data} busy={busy === 'plan'} error={formError} filterError={filterError} onDryRun={() => void dryRun()} />
      {plan ? <ReplayDryRun plan={plan} busy={busy !== null} onStart={(c) => void start(c)} /> : null}
    </div>
  );
}

/** `/clusters/:cluster/replay/new?topic=&redrive=1`: a re-produce job from a dry run; with redrive, the DLQ preset. */
export function ReplayNewPage({ cluster, topic, redrive }: { cluster: string; topic: string | null; redrive: boolean }) {
  return (
    <ClusterShell cluster={cluster} view="replay">
      {({ info }) => <ReplayNewView key={`${cluster}/${topic ?? ''}/${redrive}`} cluster={cluster} topic={topic} redrive={redrive} info={info} />}
    </ClusterShell>
  );
}
