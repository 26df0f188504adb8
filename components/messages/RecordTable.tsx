'use client';
import { memo, useCallback, useMemo, useState, type KeyboardEvent, type MouseEvent } from 'react';
import { recordResponseSchema, type MessageRecord, type Payload } from '../../lib/contract';
import { formatAge, formatBytes } from '../../lib/format';
import { recordApiUrl } from '../../lib/messages/browse-params';
import { isoTime } from '../../lib/messages/export-format';
import { base64ToBytes, decodeUtf8, showControlChars, trimIncompleteUtf8Tail } from '../../lib/messages/payload';
import { useNow } from '../realtime/use-now';
import { RecordDetails, type FullRecordState } from './RecordDetails';
import { problemFrom, requestJson } from './use-browse';

const VALUE_PREVIEW_CHARS = 200;
const KEY_PREVIEW_CHARS = 60;
const COLUMNS = 7;

// One formatter for every row: local date and time to the millisecond, 24 h.
const STAMP = new Intl.DateTimeFormat(undefined, { year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit', fractionalSecondDigits: 3, hourCycle: 'h23' });

export const recordKey = (r: { partition: number; offset: number }) => `${r.partition}:${r.offset}`;

/** Local date-time with milliseconds; Kafka's "no timestamp" (-1) says so. */
export function formatRecordTime(ms: number): string {
  if (ms < 0) return 'no timestamp';
  return STAMP.format(ms);
}

export interface Preview {
  text: string;
  /** How to style it: null/binary markers are not data. */
  kind: 'null' | 'binary' | 'text' | 'error';
}

/**
 * The first `chars` characters of a payload as one line of text: only the start of the bytes is decoded (a 16 KiB
 * value costs the same as a short one), whitespace runs collapse, control characters show as symbols. Binary is a
 * size marker; null says what null means here.
 */
export function payloadPreview(payload: Payload | null, chars: number, nullText: string): Preview {
  if (payload === null) return { text: nullText, kind: 'null' };
  if (payload.format === 'binary') return { text: `binary · ${formatBytes(payload.size)}`, kind: 'binary' };
  // 4 base64 characters are 3 bytes; a character is at most 4 bytes: enough for `chars` characters.
  const b64 = payload.base64.slice(0, Math.ceil((chars * 4 + 4) / 3) * 4);
  let bytes: Uint8Array;
  try {
    bytes = base64ToBytes(b64);
  } catch {
    return { text: 'unreadable payload (bad base64 from the server)', kind: 'error' };
  }
  const partial = b64.length < payload.base64.length || payload.truncated;
  const text = showControlChars(decodeUtf8(partial ? trimIncompleteUtf8Tail(bytes) : bytes)).replace(/\s+/g, ' ').trim();
  if (text === '') return { text: payload.size === 0 ? 'empty (0 bytes)' : 'whitespace only', kind: 'null' };
  const cut = text.length > chars;
  return { text: cut || partial ? `${text.slice(0, chars)}…` : text, kind: 'text' };
}

interface RowProps {
  record: MessageRecord;
  expanded: boolean;
  onToggle: (key: string) => void;
  now: number;
  fresh: boolean;
  target: boolean;
}

const RecordRow = memo(function RecordRow({ record, expanded, onToggle, now, fresh, target }: RowProps) {
  const key = recordKey(record);
  const keyPreview = useMemo(() => payloadPreview(record.key, KEY_PREVIEW_CHARS, 'null'), [record.key]);
  const valuePreview = useMemo(() => payloadPreview(record.value, VALUE_PREVIEW_CHARS, 'null (tombstone)'), [record.value]);
  const iso = isoTime(record.timestamp) ?? String(record.timestamp);
  const logAppend = record.timestampType === 'LogAppendTime';
  const toggle = (e: MouseEvent) => {
    // Selecting text in a row (to copy a key) is not a click on it.
    if (window.getSelection()?.toString()) return;
    if ((e.target as HTMLElement).closest('a, button, input, select, textarea')) return;
    onToggle(key);
  };
  const onKeyDown = (e: KeyboardEvent) => {
    if (e.target !== e.currentTarget) return;
    if (e.key === 'Enter' || e.key === ' ') {
      e.preventDefault();
      onToggle(key);
    }
  };
  const classes = ['record-row', expanded ? 'is-expanded' : '', fresh ? 'is-fresh' : '', target ? 'is-target' : ''].filter(Boolean).join(' ');
  return (
    <tr className={classes} data-testid="record-row" data-partition={record.partition} data-offset={record.offset} tabIndex={0} aria-expanded={expanded} onClick={toggle} onKeyDown={onKeyDown}>
      <td className="record-chevron" aria-hidden>{expanded ? '▾' : '▸'}</td>
      <td className="num">{record.partition}</td>
      <td className="num mono">{record.offset.toLocaleString('en-US')}</td>
      <td className="record-time" title={`${iso} · ${record.timestampType}${logAppend ? ' (set by the broker when it appended the record)' : ' (set by the producer)'}`}>
        <span className="mono">{formatRecordTime(record.timestamp)}</span>
        {logAppend ? <span className="tag" title="LogAppendTime: the broker's append time, not the producer's">broker time</span> : null}
        {record.timestamp >= 0 ? <span className="muted small record-age">{formatAge(record.timestamp, now)}</span> : null}
      </td>
      <td className={`mono record-key preview-${keyPreview.kind}`}>{keyPreview.text}</td>
      <td className={`mono record-value preview-${valuePreview.kind}`}>{valuePreview.text}</td>
      <td className="num">{record.headers.length === 0 ? <span className="muted">0</span> : record.headers.length}</td>
    </tr>
  );
});

/**
 * Records, one row each; a row opens (click, Enter or Space) into its details. Which rows are open and the full
 * payloads fetched for them ("show full") are kept per record, so paging back keeps them.
 */
export function RecordTable({
  cluster,
  topic,
  records,
  fresh = false,
  target = null,
  caption,
}: {
  cluster: string;
  topic: string;
  records: readonly MessageRecord[];
  /** Live tail: rows flash when they appear. */
  fresh?: boolean;
  /** A record to mark (the one just produced). */
  target?: { partition: number; offset: number } | null;
  caption: string;
}) {
  const now = useNow(10_000);
  const [expanded, setExpanded] = useState<ReadonlySet<string>>(() => new Set());
  const [full, setFull] = useState<ReadonlyMap<string, FullRecordState>>(() => new Map());
  const onToggle = useCallback((key: string) => {
    setExpanded((s) => {
      const next = new Set(s);
      if (next.has(key)) next.delete(key);
      else next.add(key);
      return next;
    });
  }, []);
  const loadFull = useCallback(
    (record: MessageRecord) => {
      const key = recordKey(record);
      setFull((m) => new Map(m).set(key, { status: 'loading', record: null, problem: null }));
      requestJson(recordApiUrl(cluster, topic, record.partition, record.offset))
        .then((body) => {
          const parsed = recordResponseSchema.safeParse(body);
          if (!parsed.success) throw new Error('The server sent a record this page does not understand; reload the page.');
          setFull((m) => new Map(m).set(key, { status: 'ok', record: parsed.data.record, problem: null }));
        })
        .catch((err: unknown) => setFull((m) => new Map(m).set(key, { status: 'error', record: null, problem: problemFrom(err) })));
    },
    [cluster, topic],
  );
  const targetKey = target ? recordKey(target) : null;

  return (
    <table className="table record-table" data-testid="record-table">
      <caption className="visually-hidden">{caption}</caption>
      <thead>
        <tr>
          <th aria-label="Expand" />
          <th className="num">Partition</th>
          <th className="num">Offset</th>
          <th>Timestamp <span className="muted small">(local)</span></th>
          <th>Key</th>
          <th>Value</th>
          <th className="num" title="Headers">Hdrs</th>
        </tr>
      </thead>
      <tbody>
        {records.map((record) => {
          const key = recordKey(record);
          const open = expanded.has(key);
          return (
            <RecordRowWithDetails
              key={key}
              cluster={cluster}
              topic={topic}
              record={record}
              open={open}
              onToggle={onToggle}
              now={now}
              fresh={fresh}
              target={key === targetKey}
              full={full.get(key) ?? null}
              onShowFull={loadFull}
            />
          );
        })}
      </tbody>
    </table>
  );
}

function RecordRowWithDetails(props: {
  cluster: string;
  topic: string;
  record: MessageRecord;
  open: boolean;
  onToggle: (key: string) => void;
  now: number;
  fresh: boolean;
  target: boolean;
  full: FullRecordState | null;
  onShowFull: (record: MessageRecord) => void;
}) {
  const { record, open } = props;
  return (
    <>
      <RecordRow record={record} expanded={open} onToggle={props.onToggle} now={props.now} fresh={props.fresh} target={props.target} />
      {open ? (
        <tr className="record-details-row">
          <td colSpan={COLUMNS}>
            <RecordDetails cluster={props.cluster} topic={props.topic} record={record} full={props.full} onShowFull={() => props.onShowFull(record)} />
          </td>
        </tr>
      ) : null}
    </>
  );
}
