'use client';
import { useMemo, useState } from 'react';
import { hexLines } from '../../lib/messages/payload';
import './payload.css';

export interface HexViewProps {
  bytes: Uint8Array;
  bytesPerLine?: number;
  /** Lines formatted at first and per "show more": a 1 MiB value is 65,536 lines. */
  pageLines?: number;
}

/**
 * A classic hexdump: offset | hex | ASCII. Each column is one <pre> of joined lines (three text nodes however many
 * lines), so thousands of lines stay cheap, and selecting inside a column copies only that column.
 */
export function HexView({ bytes, bytesPerLine = 16, pageLines = 4096 }: HexViewProps) {
  // Kept with the bytes it was raised for: other bytes start at the first page again.
  const [more, setMore] = useState<{ bytes: Uint8Array; lines: number }>({ bytes, lines: pageLines });
  const shownLines = more.bytes === bytes ? more.lines : pageLines;
  const totalLines = Math.ceil(bytes.length / Math.max(1, bytesPerLine));
  const columns = useMemo(() => {
    const lines = hexLines(bytes, bytesPerLine, { maxLines: shownLines });
    return {
      offsets: lines.map((l) => l.offset).join('\n'),
      hex: lines.map((l) => l.hex).join('\n'),
      ascii: lines.map((l) => l.ascii).join('\n'),
      count: lines.length,
    };
  }, [bytes, bytesPerLine, shownLines]);

  if (bytes.length === 0) {
    return (
      <div className="hex-view" data-testid="hex-view">
        <span className="muted small">(empty: 0 bytes)</span>
      </div>
    );
  }
  const left = totalLines - columns.count;
  return (
    <div className="hex-view" data-testid="hex-view">
      <div className="hex-grid">
        <span className="hex-heading" aria-hidden>offset</span>
        <span className="hex-heading" aria-hidden>hex</span>
        <span className="hex-heading" aria-hidden>ascii</span>
        <pre className="hex-col hex-offsets" aria-label="Offsets">{columns.offsets}</pre>
        <pre className="hex-col hex-bytes" aria-label="Bytes in hex">{columns.hex}</pre>
        <pre className="hex-col hex-ascii" aria-label="Bytes as ASCII">{columns.ascii}</pre>
      </div>
      {left > 0 ? (
        <div className="hex-more">
          <button type="button" className="button small" onClick={() => setMore({ bytes, lines: shownLines + pageLines })}>
            Show {Math.min(left, pageLines).toLocaleString()} more lines
          </button>
          <span className="muted small">
            {(columns.count * bytesPerLine).toLocaleString()} of {bytes.length.toLocaleString()} bytes shown
          </span>
        </div>
      ) : null}
    </div>
  );
}
