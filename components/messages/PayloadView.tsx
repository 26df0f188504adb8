'use client';
import { useId, useMemo, useState } from 'react';
import type { Payload, PayloadFormat } from '../../lib/contract/messages';
import { formatBytes } from '../../lib/format';
import { base64ToBytes, decodeUtf8, isUtf8, parseJsonForView, showControlChars, trimIncompleteUtf8Tail } from '../../lib/messages/payload';
import { HexView } from './HexView';
import { JsonTree } from './JsonTree';
import './payload.css';

/** How to show the bytes: `auto` follows the server's detected format (binary → hex). */
export type PayloadViewMode = 'auto' | 'json' | 'text' | 'hex' | 'base64';

export interface PayloadViewProps {
  payload: Payload | null;
  /** "Key", "Value", or a header name. */
  label: string;
  /** Shown for a null payload, e.g. "null (tombstone)". */
  nullText?: string;
  /** Offered when the payload is truncated: load the whole value (capped by the server). */
  onShowFull?: () => void;
  loadingFull?: boolean;
  /** Offered when the payload is truncated: a link that downloads the raw bytes. */
  downloadHref?: string;
  /** Root test id is `payload-<testId>` (default: the label, lower-cased, dashes for anything else). */
  testId?: string;
  /** The initial mode (default auto); the picker changes it. */
  initialMode?: PayloadViewMode;
}

const FORMAT_LABEL: Record<PayloadFormat, string> = { json: 'JSON', text: 'Text', binary: 'Binary' };
const MODES: { mode: Exclude<PayloadViewMode, 'auto'>; label: string }[] = [
  { mode: 'json', label: 'JSON' },
  { mode: 'text', label: 'Text' },
  { mode: 'hex', label: 'Hex' },
  { mode: 'base64', label: 'Base64' },
];

type Shown =
  | { kind: 'json'; value: unknown; notices: string[] }
  | { kind: 'text'; text: string; notices: string[] }
  | { kind: 'hex'; notices: string[] }
  | { kind: 'base64'; notices: string[] };

const slug = (s: string) => s.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '') || 'payload';

function asText(bytes: Uint8Array, truncated: boolean, notices: string[]): Shown {
  // A cut made mid-character (the server cuts on a boundary, but be lenient) is dropped, not shown as U+FFFD.
  const part = truncated ? trimIncompleteUtf8Tail(bytes) : bytes;
  const decoded = decodeUtf8(part);
  if (!isUtf8(part)) notices.push('Not valid UTF-8: bytes that are not are shown as \uFFFD.');
  const text = showControlChars(decoded);
  if (text !== decoded) notices.push('Control characters are shown as symbols (␀, ␛, …).');
  return { kind: 'text', text, notices };
}

function resolve(bytes: Uint8Array, format: PayloadFormat, truncated: boolean, mode: PayloadViewMode): Shown {
  const wanted = mode === 'auto' ? (format === 'binary' ? 'hex' : format) : mode;
  if (wanted === 'hex' || wanted === 'base64') return { kind: wanted, notices: [] };
  if (wanted === 'text') return asText(bytes, truncated, []);
  if (truncated) {
    return asText(bytes, true, ['Only part of the value is loaded, so it cannot be parsed as JSON: shown as text.']);
  }
  if (!isUtf8(bytes)) return asText(bytes, false, ['Not JSON: shown as text.']);
  try {
    return { kind: 'json', value: parseJsonForView(decodeUtf8(bytes)), notices: [] };
  } catch {
    return asText(bytes, false, ['Not valid JSON: shown as text.']);
  }
}

/**
 * One key, value or header value: label, detected format, size, a picker to read it as JSON (a collapsible,
 * searchable tree), text, hex or base64, and the "show full" / download offers when the server cut it short.
 * Every byte renders as text (React escapes it): a value holding `<script>` shows exactly that.
 */
export function PayloadView({ payload, label, nullText, onShowFull, loadingFull = false, downloadHref, testId, initialMode = 'auto' }: PayloadViewProps) {
  const [mode, setMode] = useState<PayloadViewMode>(initialMode);
  const pickerId = useId();
  const rootTestId = `payload-${testId ?? slug(label)}`;

  // Keyed on the fields, not the object: a parent that rebuilds an equal payload keeps the parsed tree and its state.
  const base64 = payload?.base64 ?? null;
  const format = payload?.format ?? null;
  const truncated = payload?.truncated ?? false;
  const decoded = useMemo(() => {
    if (base64 === null) return null;
    try {
      return { bytes: base64ToBytes(base64), error: false };
    } catch {
      return { bytes: new Uint8Array(0), error: true };
    }
  }, [base64]);
  const shown = useMemo(
    () => (decoded && format ? resolve(decoded.bytes, format, truncated, mode) : null),
    [decoded, format, truncated, mode],
  );

  if (payload === null || decoded === null || shown === null) {
    return (
      <div className="payload payload-is-null" data-testid={rootTestId} data-format="null" role="group" aria-label={label}>
        <div className="payload-head">
          <span className="payload-label" title={label}>
            {label}
          </span>
        </div>
        <p className="payload-null">{nullText ?? 'null'}</p>
      </div>
    );
  }

  const { bytes } = decoded;
  const notices = decoded.error ? ['The payload could not be decoded (bad base64 from the server).', ...shown.notices] : shown.notices;
  return (
    <div className="payload" data-testid={rootTestId} data-format={payload.format} data-view={shown.kind} role="group" aria-label={label}>
      <div className="payload-head">
        <span className="payload-label" title={label}>
          {label}
        </span>
        <span
          className={`payload-badge payload-badge-${payload.format}`}
          data-testid="payload-badge"
          data-format={payload.format}
          title={payload.format === 'binary' ? 'Not UTF-8 text: shown as hex by default' : `Detected as ${FORMAT_LABEL[payload.format]}`}
        >
          {payload.format === 'binary' ? (
            <span className="payload-badge-icon" aria-hidden>
              01
            </span>
          ) : null}
          {FORMAT_LABEL[payload.format]}
        </span>
        <span className="payload-size" title={`${payload.size.toLocaleString()} bytes`}>
          {formatBytes(payload.size)}
        </span>
        <span className="payload-picker">
          <label htmlFor={pickerId} className="pv-sr-only">
            Show {label} as
          </label>
          <select id={pickerId} value={mode} onChange={(e) => setMode(e.target.value as PayloadViewMode)} data-testid="payload-format">
            <option value="auto">Auto ({payload.format === 'binary' ? 'Hex' : FORMAT_LABEL[payload.format]})</option>
            {MODES.map((m) => (
              <option key={m.mode} value={m.mode}>
                {m.label}
              </option>
            ))}
          </select>
        </span>
      </div>

      {payload.truncated ? (
        <div className="payload-truncated" role="status" data-testid="payload-truncated">
          <span>
            Showing the first {formatBytes(bytes.length)} of {formatBytes(payload.size)}.
          </span>
          {onShowFull ? (
            <button type="button" className="button small" onClick={onShowFull} disabled={loadingFull} aria-busy={loadingFull} data-testid="payload-show-full">
              {loadingFull ? 'Loading…' : 'Show full'}
            </button>
          ) : null}
          {downloadHref ? (
            <a className="button small" href={downloadHref} download data-testid="payload-download">
              Download
            </a>
          ) : null}
        </div>
      ) : null}

      {notices.map((n) => (
        <p key={n} className="payload-notice" data-testid="payload-notice">
          {n}
        </p>
      ))}

      <div className="payload-body">
        {shown.kind === 'json' ? <JsonTree value={shown.value} /> : null}
        {shown.kind === 'text' ? (
          shown.text.length === 0 ? (
            <p className="payload-empty">(empty string)</p>
          ) : (
            <pre className="payload-text" data-testid="payload-text">
              {shown.text}
            </pre>
          )
        ) : null}
        {shown.kind === 'hex' ? <HexView bytes={bytes} /> : null}
        {shown.kind === 'base64' ? (
          <pre className="payload-text payload-base64" data-testid="payload-base64">
            {payload.base64 || '(empty)'}
          </pre>
        ) : null}
      </div>
    </div>
  );
}
