'use client';
import { useEffect, useId, useRef, useState, type FormEvent, type RefObject } from 'react';
import { produceResponseSchema, type PayloadEncoding, type ProduceRequest, type ProduceResponse } from '../../lib/contract';
import { messagesApiBase, parseNonNegativeInt } from '../../lib/messages/browse-params';
import { base64ToBytes } from '../../lib/messages/payload';
import { problemFrom, requestJson, type ApiProblem } from './use-browse';

const ENCODINGS: { value: PayloadEncoding; label: string }[] = [
  { value: 'text', label: 'Text (UTF-8)' },
  { value: 'json', label: 'JSON' },
  { value: 'base64', label: 'Base64 (binary)' },
];
const MAX_HEADERS = 100;

interface HeaderDraft {
  id: number;
  key: string;
  value: string;
}

/** Why a payload typed in an encoding cannot be sent, or null when it can. */
export function payloadProblem(text: string, encoding: PayloadEncoding): string | null {
  if (encoding === 'json') {
    if (text.trim() === '') return 'Type a JSON value (or switch to Text).';
    try {
      JSON.parse(text);
      return null;
    } catch (err) {
      return `Not valid JSON: ${err instanceof Error ? err.message : String(err)}`;
    }
  }
  if (encoding === 'base64') {
    try {
      base64ToBytes(text);
      return null;
    } catch {
      return 'Not valid base64 (A–Z, a–z, 0–9, +, /, = padding; URL-safe - and _ accepted).';
    }
  }
  return null;
}

/**
 * Writes one record: partition (empty = the partitioner picks, by key hash when there is a key), key and value in
 * text, JSON (validated here) or base64, a tombstone switch, headers. A modal dialog: focus moves in, Escape closes,
 * focus returns to the button that opened it.
 */
export function ProduceDialog({
  cluster,
  topic,
  partitionCount,
  onClose,
  onShow,
  returnFocusTo,
}: {
  cluster: string;
  topic: string;
  partitionCount: number | null;
  onClose: () => void;
  /** "Show it": browse the newest records of the partition written to. */
  onShow: (written: ProduceResponse) => void;
  /** Where focus goes when the dialog closes (default: what had it before; Safari does not focus a clicked button). */
  returnFocusTo?: RefObject<HTMLElement | null>;
}) {
  const ids = useId();
  const dialogRef = useRef<HTMLDialogElement>(null);
  const valueRef = useRef<HTMLTextAreaElement>(null);
  const [partition, setPartition] = useState('');
  const [key, setKey] = useState('');
  const [keyEncoding, setKeyEncoding] = useState<PayloadEncoding>('text');
  const [value, setValue] = useState('');
  const [valueEncoding, setValueEncoding] = useState<PayloadEncoding>('text');
  const [tombstone, setTombstone] = useState(false);
  const [headers, setHeaders] = useState<HeaderDraft[]>([]);
  const nextHeaderId = useRef(1);
  const [busy, setBusy] = useState(false);
  const [result, setResult] = useState<ProduceResponse | null>(null);
  const [problem, setProblem] = useState<ApiProblem | null>(null);

  useEffect(() => {
    const opener = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    const dialog = dialogRef.current;
    if (dialog && typeof dialog.showModal === 'function' && !dialog.open) dialog.showModal();
    else dialog?.setAttribute('open', '');
    valueRef.current?.focus();
    return () => {
      if (dialog?.open) dialog.close();
      (returnFocusTo?.current ?? opener)?.focus();
    };
    // Once per opening: the dialog mounts when it opens.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);

  const partitionText = partition.trim();
  const partitionNumber = partitionText === '' ? null : parseNonNegativeInt(partitionText);
  const partitionProblem =
    partitionText !== '' && partitionNumber === null
      ? 'A partition is a whole number, 0 or more (or leave it empty).'
      : partitionNumber !== null && partitionCount !== null && partitionNumber >= partitionCount
        ? `This topic has partitions 0–${partitionCount - 1}.`
        : null;
  // An empty key is sent as no key (null): Kafka partitions it round-robin / sticky, not by hash.
  const keyProblem = key === '' ? null : payloadProblem(key, keyEncoding);
  const valueProblem = tombstone ? null : valueEncoding === 'text' ? null : value === '' && valueEncoding === 'base64' ? null : payloadProblem(value, valueEncoding);
  const headerProblem = headers.some((h) => h.key.trim() === '') ? 'Every header needs a name (or remove the row).' : headers.some((h) => h.key.length > 1024) ? 'Header names are at most 1,024 characters.' : null;
  const invalid = partitionProblem ?? keyProblem ?? valueProblem ?? headerProblem;

  const send = async (e: FormEvent) => {
    e.preventDefault();
    if (invalid || busy) return;
    const body: ProduceRequest = {
      partition: partitionNumber,
      key: key === '' ? null : key,
      keyEncoding,
      value: tombstone ? null : value,
      valueEncoding,
      headers: headers.map((h) => ({ key: h.key, value: h.value })),
    };
    setBusy(true);
    setProblem(null);
    setResult(null);
    try {
      const raw = await requestJson(messagesApiBase(cluster, topic), { method: 'POST', headers: { 'content-type': 'application/json', accept: 'application/json' }, body: JSON.stringify(body) });
      const parsed = produceResponseSchema.safeParse(raw);
      if (!parsed.success) setProblem({ status: 200, error: 'bad_response', message: 'The record was probably written, but the server answered with something this page does not understand.', hint: 'Browse the newest records to check.', filterError: null });
      else setResult(parsed.data);
    } catch (err) {
      setProblem(problemFrom(err));
    } finally {
      setBusy(false);
    }
  };

  const addHeader = () => {
    if (headers.length >= MAX_HEADERS) return;
    setHeaders((hs) => [...hs, { id: nextHeaderId.current++, key: '', value: '' }]);
  };

  return (
    <dialog
      ref={dialogRef}
      className="produce-dialog"
      role="dialog"
      aria-modal="true"
      aria-labelledby={`${ids}-title`}
      data-testid="produce-dialog"
      onCancel={(e) => {
        // Escape: let React unmount the dialog (the effect cleanup closes it and restores focus).
        e.preventDefault();
        onClose();
      }}
    >
      <form onSubmit={send} className="produce-form">
        <header className="produce-head">
          <h2 id={`${ids}-title`}>
            Produce a record to <span className="mono">{topic}</span>
          </h2>
          <button type="button" className="button ghost small" onClick={onClose} aria-label="Close">
            ✕
          </button>
        </header>

        <div className="produce-grid">
          <label>
            Partition
            <input
              type="text"
              inputMode="numeric"
              className="mono"
              value={partition}
              onChange={(e) => setPartition(e.target.value)}
              placeholder="auto"
              aria-invalid={partitionProblem !== null}
              aria-describedby={`${ids}-partition-hint`}
              data-testid="produce-partition"
            />
            <span id={`${ids}-partition-hint`} className={partitionProblem ? 'warn-text small' : 'muted small'}>
              {partitionProblem ?? `Empty: the partitioner picks (by key hash when there is a key).${partitionCount !== null ? ` 0–${partitionCount - 1}.` : ''}`}
            </span>
          </label>
          <label>
            Key
            <div className="produce-field">
              <input type="text" className="mono" value={key} onChange={(e) => setKey(e.target.value)} placeholder="empty = no key (null)" aria-invalid={keyProblem !== null} data-testid="produce-key" />
              <select value={keyEncoding} onChange={(e) => setKeyEncoding(e.target.value as PayloadEncoding)} aria-label="Key encoding" data-testid="produce-key-encoding">
                {ENCODINGS.map((enc) => (
                  <option key={enc.value} value={enc.value}>
                    {enc.label}
                  </option>
                ))}
              </select>
            </div>
            {keyProblem ? <span className="warn-text small">{keyProblem}</span> : null}
          </label>
        </div>

        <div className="produce-value">
          <div className="produce-value-head">
            <label htmlFor={`${ids}-value`}>Value</label>
            <select value={valueEncoding} onChange={(e) => setValueEncoding(e.target.value as PayloadEncoding)} aria-label="Value encoding" disabled={tombstone} data-testid="produce-value-encoding">
              {ENCODINGS.map((enc) => (
                <option key={enc.value} value={enc.value}>
                  {enc.label}
                </option>
              ))}
            </select>
            <label className="check">
              <input type="checkbox" checked={tombstone} onChange={(e) => setTombstone(e.target.checked)} data-testid="produce-tombstone" />
              null value (tombstone)
            </label>
          </div>
          <textarea
            id={`${ids}-value`}
            ref={valueRef}
            className="mono"
            rows={8}
            value={value}
            onChange={(e) => setValue(e.target.value)}
            disabled={tombstone}
            placeholder={tombstone ? 'A tombstone has no value: on a compacted topic it deletes the key.' : valueEncoding === 'json' ? '{"status": "FAILED"}' : valueEncoding === 'base64' ? 'SGVsbG8=' : 'any text'}
            spellCheck={false}
            aria-invalid={valueProblem !== null}
            data-testid="produce-value"
          />
          {valueProblem ? (
            <span className="warn-text small" role="alert" data-testid="produce-value-error">
              {valueProblem}
            </span>
          ) : null}
        </div>

        <fieldset className="produce-headers">
          <legend>
            Headers <span className="count">{headers.length}</span>
          </legend>
          {headers.map((h, i) => (
            <div className="produce-header-row" key={h.id}>
              <input type="text" className="mono" value={h.key} placeholder="name" aria-label={`Header ${i + 1} name`} onChange={(e) => setHeaders((hs) => hs.map((x) => (x.id === h.id ? { ...x, key: e.target.value } : x)))} data-testid="produce-header-key" />
              <input type="text" className="mono" value={h.value} placeholder="value (text)" aria-label={`Header ${i + 1} value`} onChange={(e) => setHeaders((hs) => hs.map((x) => (x.id === h.id ? { ...x, value: e.target.value } : x)))} data-testid="produce-header-value" />
              <button type="button" className="button ghost small" onClick={() => setHeaders((hs) => hs.filter((x) => x.id !== h.id))} aria-label={`Remove header ${i + 1}`} data-testid="produce-remove-header">
                Remove
              </button>
            </div>
          ))}
          {headerProblem ? <span className="warn-text small">{headerProblem}</span> : null}
          <button type="button" className="button small" onClick={addHeader} disabled={headers.length >= MAX_HEADERS} data-testid="produce-add-header">
            + Add header
          </button>
        </fieldset>

        {problem ? (
          <div className="notice notice-danger small" role="alert" data-testid="produce-error">
            {problem.error === 'read_only' ? 'This cluster is read-only: ' : 'Not written: '}
            {problem.message}
            {problem.hint ? ` ${problem.hint}` : ''}
          </div>
        ) : null}
        {result ? (
          <div className="notice produce-result" role="status" data-testid="produce-result" data-partition={result.partition} data-offset={result.offset}>
            Written to partition {result.partition} at offset {result.offset.toLocaleString('en-US')}.{' '}
            <button type="button" className="link-button" onClick={() => onShow(result)} data-testid="produce-show">
              Show it
            </button>
          </div>
        ) : null}

        <footer className="produce-foot">
          <button type="submit" className="button primary" disabled={busy || invalid !== null} title={invalid ?? undefined} data-testid="produce-send">
            {busy ? 'Sending…' : result ? 'Send another' : 'Send'}
          </button>
          <button type="button" className="button ghost" onClick={onClose}>
            Close
          </button>
        </footer>
      </form>
    </dialog>
  );
}
