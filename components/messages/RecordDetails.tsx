'use client';
import { useState } from 'react';
import type { MessageRecord, Payload } from '../../lib/contract';
import { formatBytes } from '../../lib/format';
import { rawPayloadUrl } from '../../lib/messages/browse-params';
import { isoTime } from '../../lib/messages/export-format';
import { base64ToBytes, decodeUtf8 } from '../../lib/messages/payload';
import { PayloadView } from './PayloadView';
import type { ApiProblem } from './use-browse';

/** "Show full" for one record: the single-record route's answer, kept per record by the table. */
export interface FullRecordState {
  status: 'loading' | 'ok' | 'error';
  record: MessageRecord | null;
  problem: ApiProblem | null;
}

/** A payload for "Copy as JSON": JSON as JSON, text as a string, binary as base64; a cut one says so. */
function payloadForCopy(p: Payload | null): unknown {
  if (p === null) return null;
  let body: unknown;
  if (p.format === 'binary') body = { base64: p.base64 };
  else {
    let text: string;
    try {
      text = decodeUtf8(base64ToBytes(p.base64));
    } catch {
      return { base64: p.base64, size: p.size, truncated: p.truncated };
    }
    body = text;
    if (p.format === 'json' && !p.truncated) {
      try {
        body = JSON.parse(text) as unknown;
      } catch {
        body = text;
      }
    }
  }
  return p.truncated ? { truncated: true, size: p.size, shown: body } : body;
}

function recordAsJson(r: MessageRecord): string {
  return JSON.stringify(
    {
      partition: r.partition,
      offset: r.offset,
      timestamp: r.timestamp,
      timestampIso: isoTime(r.timestamp),
      timestampType: r.timestampType,
      key: payloadForCopy(r.key),
      value: payloadForCopy(r.value),
      headers: r.headers.map((h) => ({ key: h.key, value: payloadForCopy(h.value) })),
    },
    null,
    2,
  );
}

/** Clipboard API where the page is a secure context; the old execCommand path on plain http (a LAN host). */
async function copyText(text: string): Promise<void> {
  if (navigator.clipboard && window.isSecureContext) {
    await navigator.clipboard.writeText(text);
    return;
  }
  const area = document.createElement('textarea');
  area.value = text;
  area.setAttribute('readonly', '');
  area.style.position = 'fixed';
  area.style.opacity = '0';
  document.body.appendChild(area);
  area.select();
  const ok = document.execCommand('copy');
  area.remove();
  if (!ok) throw new Error('copy refused');
}

/** One record opened: key, value and every header value in full detail, the timestamp explained, copy and download. */
const PARTS = [
  { part: 'key', label: 'Key', nullText: 'null (no key)' },
  { part: 'value', label: 'Value', nullText: 'null (tombstone)' },
] as const;

export function RecordDetails({ cluster, topic, record, full, onShowFull }: { cluster: string; topic: string; record: MessageRecord; full: FullRecordState | null; onShowFull: () => void }) {
  const [copied, setCopied] = useState<'idle' | 'ok' | 'failed'>('idle');
  // Once "show full" answered, every payload comes from that answer (same record, larger cap).
  const shown = full?.status === 'ok' && full.record ? full.record : record;
  const loadingFull = full?.status === 'loading';
  const canLoadFull = full?.status !== 'ok';
  const showFull = (p: Payload | null) => (p?.truncated && canLoadFull ? onShowFull : undefined);
  const size = (p: Payload | null) => (p === null ? 'null' : formatBytes(p.size));
  const copy = () => {
    copyText(recordAsJson(shown)).then(
      () => setCopied('ok'),
      () => setCopied('failed'),
    );
  };

  return (
    <div className="record-details" data-testid="record-details" data-partition={record.partition} data-offset={record.offset}>
      <div className="record-details-head">
        <dl className="record-meta">
          <div><dt>Partition</dt><dd>{record.partition}</dd></div>
          <div><dt>Offset</dt><dd className="mono">{record.offset}</dd></div>
          <div>
            <dt>Timestamp</dt>
            <dd>
              <span className="mono">{isoTime(record.timestamp) ?? 'none (-1)'}</span>{' '}
              <span className="muted small">epoch ms {record.timestamp}</span>
            </dd>
          </div>
          <div>
            <dt>Timestamp type</dt>
            <dd>
              {record.timestampType}{' '}
              <span className="muted small">{record.timestampType === 'LogAppendTime' ? 'set by the broker on append' : 'set by the producer'}</span>
            </dd>
          </div>
          <div><dt>Sizes</dt><dd className="small">key {size(record.key)} · value {size(record.value)} · {record.headers.length} header{record.headers.length === 1 ? '' : 's'}</dd></div>
        </dl>
        <div className="record-details-actions">
          <button type="button" className="button small" onClick={copy} data-testid="record-copy-json">
            Copy as JSON
          </button>
          <span className="small muted" role="status">
            {copied === 'ok' ? 'Copied.' : copied === 'failed' ? 'The browser refused to copy.' : ''}
          </span>
        </div>
      </div>
      {full?.status === 'error' && full.problem ? (
        <p className="notice notice-danger small" role="alert">
          Could not read the full record: {full.problem.message}
          {full.problem.hint ? ` ${full.problem.hint}` : ''}
        </p>
      ) : null}
      <div className="record-payloads">
        {PARTS.map(({ part, label, nullText }) => (
          <PayloadView
            key={part}
            payload={shown[part]}
            label={label}
            nullText={nullText}
            onShowFull={showFull(shown[part])}
            loadingFull={loadingFull}
            downloadHref={shown[part] ? rawPayloadUrl(cluster, topic, record.partition, record.offset, part) : undefined}
            testId={`record-${part}`}
          />
        ))}
      </div>
      <section className="record-headers" aria-label="Headers">
        <h4>
          Headers <span className="count">{shown.headers.length}</span>
        </h4>
        {shown.headers.length === 0 ? <p className="muted small">This record has no headers.</p> : null}
        {shown.headers.map((h, i) => (
          <PayloadView key={`${i}:${h.key}`} payload={h.value} label={`Header ${h.key}`} nullText="null" onShowFull={showFull(h.value)} loadingFull={loadingFull} testId="record-header" />
        ))}
      </section>
    </div>
  );
}
