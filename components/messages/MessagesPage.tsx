'use client';
import Link from 'next/link';
import { useCallback, useRef, useState, type RefObject } from 'react';
import type { BrowseResponse, ClusterInfo, ProduceResponse } from '../../lib/contract';
import { formatAge, formatClock } from '../../lib/format';
import { clusterHref, topicHref } from '../../lib/links';
import {
  browseQuery,
  clampExportMax,
  describeBudgetStop,
  describeDirection,
  describePartitions,
  describePositions,
  EXPORT_DEFAULT_MAX,
  EXPORT_FORMATS,
  EXPORT_MAX,
  exportUrl,
  isBudgetStop,
  normalizeBrowseParams,
  pagingCursors,
  type BrowseParams,
  type ExportFormat,
} from '../../lib/messages/browse-params';
import { ClusterShell } from '../overview/ClusterShell';
import { useNow } from '../realtime/use-now';
import { useUrlState } from '../ui/use-url-state';
import { BrowseControls } from './BrowseControls';
import { ProduceDialog } from './ProduceDialog';
import { formatRecordTime, RecordTable } from './RecordTable';
import { useBrowse, useTopicMeta, type ApiProblem, type Browse } from './use-browse';
import { TAIL_MAX_RECORDS, useTail, type Tail } from './use-tail';
import '../ui/entity.css';
import '../ui/list.css';
import './messages.css';

/** The page's address from its state; a module function so the URL hook's callback stays stable. */
const toQuery = (p: BrowseParams) => {
  const q = browseQuery(p);
  return q ? `?${q}` : '';
};

const plural = (n: number, one: string, many = `${one}s`) => `${n.toLocaleString('en-US')} ${n === 1 ? one : many}`;

function formatElapsed(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  return `${(ms / 1000).toFixed(ms < 10_000 ? 1 : 0)} s`;
}

/** Where the first page starts, in words: "from the newest", "from offset 1,200", "before 2024-05-01 03:00:00.000". */
function describeStart(p: BrowseParams, continued: boolean): string {
  if (continued) return 'continued from the previous page';
  switch (p.start) {
    case 'newest':
      return 'from the newest';
    case 'oldest':
      return 'from the oldest';
    case 'offset':
      return `${p.direction === 'backward' ? 'before' : 'from'} offset ${(p.offset ?? 0).toLocaleString('en-US')}`;
    case 'time':
      return `${p.direction === 'backward' ? 'before' : 'from'} ${p.time !== null ? formatRecordTime(p.time) : '?'} (local)`;
  }
}

/** "partition 0: log start 0, high watermark 120; partition 1: log start 5, high watermark 5 (empty)". */
function describeWatermarks(partitions: BrowseResponse['partitions']): string {
  const shown = partitions.slice(0, 6).map((p) => `partition ${p.partition}: log start ${p.low.toLocaleString('en-US')}, high watermark ${p.high.toLocaleString('en-US')}${p.low === p.high ? ' (empty)' : ''}`);
  return `${shown.join('; ')}${partitions.length > 6 ? `; and ${partitions.length - 6} more` : ''}`;
}

function ProblemNotice({ problem, onRetry, cluster }: { problem: ApiProblem; onRetry?: () => void; cluster: string }) {
  const filterProblem = problem.error === 'invalid_filter';
  return (
    <div className="notice notice-danger messages-error" role="alert" data-testid="messages-error" data-error={problem.error ?? undefined}>
      <strong>{filterProblem ? 'The filter was not applied.' : problem.status === 503 ? 'The cluster is not answering.' : 'Could not read records.'}</strong> {problem.message}
      {problem.hint ? <span className="messages-hint"> {problem.hint}</span> : null}
      {' '}
      {problem.error === 'unknown_topic' ? <Link href={clusterHref(cluster, '/topics')}>All topics</Link> : null}
      {onRetry && !filterProblem && problem.error !== 'unknown_topic' && problem.error !== 'bad_request' ? (
        <button type="button" className="button small" onClick={onRetry}>
          Try again
        </button>
      ) : null}
    </div>
  );
}

function ExportControls({ cluster, topic, params }: { cluster: string; topic: string; params: BrowseParams }) {
  const [format, setFormat] = useState<ExportFormat>('jsonl');
  const [max, setMax] = useState(String(EXPORT_DEFAULT_MAX));
  const maxNumber = clampExportMax(Number(max));
  return (
    <div className="export-controls" role="group" aria-label="Export">
      <label className="small">
        Export
        <select value={format} onChange={(e) => setFormat(e.target.value as ExportFormat)} aria-label="Export format" data-testid="messages-export-format">
          {EXPORT_FORMATS.map((f) => (
            <option key={f} value={f}>
              {f === 'jsonl' ? 'JSON Lines' : 'CSV'}
            </option>
          ))}
        </select>
      </label>
      <label className="small">
        max
        <input type="number" min={1} max={EXPORT_MAX} step={1} value={max} onChange={(e) => setMax(e.target.value)} className="export-max" aria-label="Maximum records to export" data-testid="messages-export-max" />
      </label>
      <a
        className="button small"
        href={exportUrl(cluster, topic, params, format, maxNumber)}
        download
        data-testid="messages-export"
        title={`Downloads up to ${maxNumber.toLocaleString('en-US')} records from the start of this view (not only this page), with the same partitions, direction and filter.`}
      >
        ⬇ Download
      </a>
    </div>
  );
}

function BrowseResults({ cluster, topic, browse, params, partitionCount, target, onParams }: { cluster: string; topic: string; browse: Browse; params: BrowseParams; partitionCount: number | null; target: { partition: number; offset: number } | null; onParams: (p: BrowseParams) => void }) {
  const now = useNow(5_000);
  const { response, shownParams } = browse;
  const loading = browse.status === 'loading';
  const toOldest = () => onParams({ ...params, start: 'oldest', direction: 'forward', offset: null, time: null, tail: false });

  // A filter that does not compile is shown under the filter box, with a caret at the position: once is enough.
  if (browse.status === 'error' && browse.problem?.error === 'invalid_filter' && browse.problem.filterError) return null;
  if (browse.status === 'error' && browse.problem) return <ProblemNotice problem={browse.problem} onRetry={browse.reload} cluster={cluster} />;
  if (!response || !shownParams) {
    return (
      <div className="notice" data-testid="messages-loading" aria-busy="true">
        Reading records…
      </div>
    );
  }

  const scan = response.scan;
  const filtered = shownParams.filter !== '';
  const count = partitionCount ?? (shownParams.partitions === null ? response.partitions.length || null : null);
  const { older, newer } = pagingCursors(response.direction, response.next, response.previous);
  const budget = isBudgetStop(scan.stopped);
  const endText = scan.stopped === 'end' ? (response.direction === 'backward' ? 'reached the oldest record' : 'reached the newest record') : scan.stopped === 'limit' ? 'page full, more available' : null;
  const n = response.records.length;
  const oldest = shownParams.start === 'oldest';

  return (
    <section className="messages-results" aria-label="Records" aria-busy={loading}>
      <p className="messages-summary" data-testid="messages-summary" data-direction={response.direction} data-filtered={filtered ? 'true' : 'false'} data-stopped={scan.stopped}>
        <strong>{plural(n, 'record')}</strong>
        {' · '}
        {describePartitions(shownParams.partitions, count)}
        {' · '}
        <strong>{describeDirection(response.direction)}</strong>
        {' · '}
        {describeStart(shownParams, browse.shownCursor !== null)}
        {' · '}
        {filtered ? (
          <span className="filter-on" title={shownParams.filter}>
            filter on: {plural(scan.matched, 'match', 'matches')} of {scan.scanned.toLocaleString('en-US')} scanned
          </span>
        ) : (
          <span>no filter · scanned {scan.scanned.toLocaleString('en-US')}</span>
        )}{' '}
        in {formatElapsed(scan.elapsedMs)}
        {scan.filterMs !== null ? ` (filter ${formatElapsed(scan.filterMs)})` : ''}
        {endText ? ` · ${endText}` : ''}
        {budget ? <span className="warn-text"> · scan stopped early</span> : null}
        <span className="muted"> · read {formatAge(response.observedAt, Math.max(now, response.observedAt))}</span>
        {loading ? <span className="muted"> · loading…</span> : null}
      </p>

      {budget ? (
        <div className="notice notice-warn scan-stopped" role="status" data-testid="messages-scan-stopped" data-stopped={scan.stopped}>
          Scanned {plural(scan.scanned, 'record')} in {formatElapsed(scan.elapsedMs)}, {scan.matched.toLocaleString('en-US')} matched; <strong>stopped: {describeBudgetStop(scan.stopped)}</strong>
          {scan.position.length > 0 ? ` at ${describePositions(scan.position)}` : ''}. There may be more matches further on.{' '}
          {response.next ? (
            <button type="button" className="button small" onClick={() => browse.goTo(response.next as string)} disabled={loading} data-testid="messages-continue">
              Continue scanning
            </button>
          ) : null}
        </div>
      ) : null}

      <div className="messages-toolbar">
        <div className="paging" role="group" aria-label="Pages">
          <button type="button" className="button small" onClick={() => newer && browse.goTo(newer)} disabled={!newer || loading} title={newer ? 'The page of newer records' : 'No newer records in this direction'} data-testid="messages-newer">
            ← Newer
          </button>
          <button type="button" className="button small" onClick={() => older && browse.goTo(older)} disabled={!older || loading} title={older ? 'The page of older records' : 'No older records'} data-testid="messages-older">
            Older →
          </button>
          <button type="button" className="button ghost small" onClick={browse.reload} disabled={loading} data-testid="messages-refresh" title="Read the first page again">
            ↻ Refresh
          </button>
        </div>
        <ExportControls cluster={cluster} topic={topic} params={shownParams} />
      </div>

      {n === 0 ? (
        <div className="panel empty-state" data-testid="messages-empty">
          {filtered ? (
            <>
              <strong>No record matched the filter in this range.</strong>
              {scan.scanned === 0 ? 'Nothing was scanned: the range is empty. ' : `${plural(scan.scanned, 'record')} scanned. `}
              {budget ? 'The scan stopped early: continue scanning above, or ' : 'Try '}
              {oldest ? 'a different filter.' : (
                <>
                  a wider range:{' '}
                  <button type="button" className="link-button" onClick={toOldest}>
                    Oldest
                  </button>
                  .
                </>
              )}
            </>
          ) : (
            <>
              <strong>No records in this range.</strong>
              {response.partitions.length > 0 ? `The high watermarks are: ${describeWatermarks(response.partitions)}. ` : ''}
              {response.partitions.length > 0 && response.partitions.every((p) => p.low === p.high) ? 'The selected partitions hold no records: produce one, or wait for writers. ' : ''}
              {!oldest ? (
                <>
                  Try{' '}
                  <button type="button" className="link-button" onClick={toOldest} data-testid="messages-try-oldest">
                    Oldest
                  </button>{' '}
                  or{' '}
                  <button type="button" className="link-button" onClick={() => onParams({ ...params, tail: true })}>
                    the live tail
                  </button>
                  .
                </>
              ) : null}
            </>
          )}
        </div>
      ) : (
        <div className="panel">
          <RecordTable cluster={cluster} topic={topic} records={response.records} target={target} caption={`Records of ${topic}, ${describeDirection(response.direction)}`} />
        </div>
      )}
    </section>
  );
}

function TailResults({ cluster, topic, tail, params, partitionCount }: { cluster: string; topic: string; tail: Tail; params: BrowseParams; partitionCount: number | null }) {
  const statusText = (() => {
    switch (tail.status) {
      case 'starting':
        return 'Starting the live tail…';
      case 'reconnecting':
        return 'Connection to the Topolog server lost: reconnecting. The tail starts again when it is back.';
      case 'live':
        return `Live · ${describePartitions(params.partitions, partitionCount)} · ${params.filter ? 'filter on' : 'no filter'} · ${plural(tail.received, 'record')} received · ${tail.scanned.toLocaleString('en-US')} scanned${tail.since ? ` since ${formatClock(tail.since)}` : ''} · newest first`;
      case 'ended':
        return `The live tail stopped: ${tail.ended ?? 'the server ended it'}.`;
      case 'error':
        return `The live tail did not start: ${tail.problem?.message ?? 'unknown error'}`;
      case 'off':
        return 'Live tail off.';
    }
  })();
  const bad = tail.status === 'ended' || tail.status === 'error';
  return (
    <section className="messages-results" aria-label="Live tail">
      <div className={`tail-bar tail-${tail.status}`}>
        <span className="tail-status" role={bad ? 'alert' : 'status'} data-testid="messages-tail-status" data-status={tail.status} data-paused={tail.paused ? 'true' : 'false'}>
          <span className={`dot tail-dot`} aria-hidden /> {statusText}
          {tail.paused ? <strong className="warn-text"> · Paused: {plural(tail.newWhilePaused, 'new record')} while paused</strong> : null}
        </span>
        <span className="spacer" />
        {bad ? (
          <button type="button" className="button small" onClick={tail.restart} data-testid="messages-tail-restart">
            Restart
          </button>
        ) : (
          <button type="button" className="button small" onClick={() => tail.setPaused(!tail.paused)} aria-pressed={tail.paused} data-testid="messages-tail-pause">
            {tail.paused ? `▶ Resume${tail.newWhilePaused > 0 ? ` (${tail.newWhilePaused.toLocaleString('en-US')} new)` : ''}` : '❚❚ Pause'}
          </button>
        )}
        <button type="button" className="button ghost small" onClick={tail.clear} disabled={tail.records.length === 0} data-testid="messages-tail-clear">
          Clear
        </button>
      </div>
      {tail.skipped > 0 ? (
        <p className="notice notice-warn small" role="status" data-testid="messages-tail-skipped">
          {plural(tail.skipped, 'record')} skipped because the browser fell behind: the server dropped them instead of waiting. Browse the range to see every record.
        </p>
      ) : null}
      {tail.droppedFromView > 0 ? (
        <p className="muted small" data-testid="messages-tail-dropped">
          {plural(tail.droppedFromView, 'older record')} dropped from view: the tail keeps the newest {TAIL_MAX_RECORDS.toLocaleString('en-US')}.
        </p>
      ) : null}
      {tail.restarts > 0 ? (
        <p className="notice notice-warn small" role="status">
          The connection was lost {tail.restarts === 1 ? 'once' : `${tail.restarts} times`} and the tail started again: records written while disconnected are not shown here. Browse to see them.
        </p>
      ) : null}
      {tail.invalidBatches > 0 ? (
        <p className="notice notice-danger small" role="alert">
          {plural(tail.invalidBatches, 'batch', 'batches')} from the server did not match what this page expects and {tail.invalidBatches === 1 ? 'was' : 'were'} left out; reload the page.
        </p>
      ) : null}
      {tail.records.length === 0 ? (
        <div className="panel empty-state" data-testid="messages-tail-waiting">
          {tail.status === 'live' || tail.status === 'starting' ? (
            <>
              <strong>Waiting for new records…</strong>Only records written from now on appear here{params.filter ? ', and only those the filter keeps' : ''}.
            </>
          ) : (
            <strong>No records.</strong>
          )}
        </div>
      ) : (
        <div className="panel">
          <RecordTable cluster={cluster} topic={topic} records={tail.records} fresh caption={`Live tail of ${topic}, newest first`} />
        </div>
      )}
    </section>
  );
}

function ProduceButton({ info, onOpen, buttonRef }: { info: ClusterInfo | undefined; onOpen: () => void; buttonRef: RefObject<HTMLButtonElement | null> }) {
  if (info?.readOnly) {
    const why = 'This cluster is configured read-only (readOnly: true): Topolog does not write to it.';
    return (
      // A disabled button gets no pointer events in some browsers: the wrapper carries the tooltip.
      <span title={why} className="produce-disabled">
        <button type="button" className="button" disabled aria-describedby="produce-read-only-why" data-testid="messages-produce-open">
          Produce
        </button>
        <span id="produce-read-only-why" className="visually-hidden">
          {why}
        </span>
      </span>
    );
  }
  return (
    <button type="button" className="button primary" onClick={onOpen} ref={buttonRef} data-testid="messages-produce-open">
      Produce…
    </button>
  );
}

function MessagesView({ cluster, topic, info, initial, issues }: { cluster: string; topic: string; info: ClusterInfo | undefined; initial: BrowseParams; issues: string[] }) {
  const [params, setParams] = useUrlState(initial, toQuery);
  const [shownIssues, setShownIssues] = useState(issues);
  const [produceOpen, setProduceOpen] = useState(false);
  const produceButton = useRef<HTMLButtonElement>(null);
  const [target, setTarget] = useState<{ partition: number; offset: number } | null>(null);
  const meta = useTopicMeta(cluster, topic);
  const browse = useBrowse(cluster, topic, params, !params.tail);
  const tail = useTail(cluster, topic, { partitions: params.partitions, filter: params.filter }, params.tail);
  const partitionCount = meta.partitionCount;

  const apply = useCallback(
    (next: BrowseParams) => {
      const normalized = normalizeBrowseParams(next);
      setTarget(null);
      // The same state again (Apply without changes): read it again rather than nothing.
      if (browseQuery(normalized) !== browseQuery(params)) setParams(normalized);
      else if (normalized.tail) tail.restart();
      else browse.reload();
    },
    [params, setParams, browse, tail],
  );

  const showWritten = (written: ProduceResponse) => {
    setProduceOpen(false);
    apply({ ...params, partitions: [written.partition], start: 'newest', direction: 'backward', offset: null, time: null, filter: '', tail: false });
    setTarget({ partition: written.partition, offset: written.offset });
  };

  const filterError = (() => {
    if (params.tail && tail.problem?.filterError) return { expression: params.filter, error: tail.problem.filterError };
    if (!params.tail && browse.status === 'error' && browse.problem?.filterError) return { expression: browse.shownParams?.filter ?? params.filter, error: browse.problem.filterError };
    return null;
  })();

  const t = meta.detail?.topic;
  return (
    <div className="entity-page messages-page" data-testid="messages-page">
      {shownIssues.length > 0 ? (
        <div className="notice notice-warn small" role="status" data-testid="messages-param-issues">
          {shownIssues.map((issue) => (
            <div key={issue}>{issue}</div>
          ))}
          <button type="button" className="link-button" onClick={() => setShownIssues([])}>
            Dismiss
          </button>
        </div>
      ) : null}
      <header className="entity-header messages-header">
        <nav className="breadcrumb small" aria-label="Breadcrumb">
          <Link href={clusterHref(cluster, '/topics')}>Topics</Link>
          <span aria-hidden> › </span>
          <Link href={topicHref(cluster, topic)} className="mono">
            {topic}
          </Link>
          <span aria-hidden> › </span>
          <span aria-current="page">Messages</span>
        </nav>
        <div className="messages-title-row">
          <div className="entity-title">
            <p className="entity-kind">
              Messages{t ? ` · ${plural(t.partitions, 'partition')} · replication ${t.replicationFactor}` : ''}
              {meta.detail?.configs?.compacted ? ' · compacted' : ''}
            </p>
            <h1 className="mono" data-testid="messages-title">
              <Link href={topicHref(cluster, topic)} title="Back to the topic page">
                {topic}
              </Link>
            </h1>
          </div>
          <div className="messages-actions">
            <ProduceButton info={info} onOpen={() => setProduceOpen(true)} buttonRef={produceButton} />
          </div>
        </div>
        {meta.problem && meta.problem.error !== 'unknown_topic' ? <p className="muted small">Partition list unavailable ({meta.problem.message}); every partition is read by default.</p> : null}
      </header>

      <BrowseControls params={params} partitionCount={partitionCount} onApply={apply} filterError={filterError} />

      {params.tail ? (
        <TailResults cluster={cluster} topic={topic} tail={tail} params={params} partitionCount={partitionCount} />
      ) : (
        <BrowseResults cluster={cluster} topic={topic} browse={browse} params={params} partitionCount={partitionCount} target={target} onParams={apply} />
      )}

      {produceOpen ? <ProduceDialog cluster={cluster} topic={topic} partitionCount={partitionCount} onClose={() => setProduceOpen(false)} onShow={showWritten} returnFocusTo={produceButton} /> : null}
    </div>
  );
}

/** `/clusters/:cluster/topics/:topic/messages`: browse, filter, tail, produce and export a topic's records. */
export function MessagesPage({ cluster, topic, initial, issues = [] }: { cluster: string; topic: string; initial: BrowseParams; issues?: string[] }) {
  return (
    <ClusterShell cluster={cluster} view="messages">
      {({ info }) => <MessagesView key={`${cluster}/${topic}`} cluster={cluster} topic={topic} info={info} initial={initial} issues={issues} />}
    </ClusterShell>
  );
}
