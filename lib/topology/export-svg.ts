import type { EdgeKind, EdgeState, NodeKind } from '../contract/topology';
import type { HealthLevel } from './view';

export interface ExportNode {
  id: string;
  kind: NodeKind;
  name: string;
  note: string;
  health: HealthLevel;
  badges: string[];
  x: number;
  y: number;
  width: number;
  height: number;
}
export interface ExportEdge {
  from: string;
  to: string;
  kind: EdgeKind;
  state: EdgeState;
  width: number;
  label: string | null;
}
type ExportTheme = 'light' | 'dark';

const PALETTE = {
  light: { bg: '#f6f7f9', surface: '#ffffff', border: '#c9d0da', text: '#1b1f24', muted: '#5f6b7a', edge: '#8793a3', dead: '#c62828', ok: '#1f9d55', warn: '#b26a00', critical: '#c62828', unknown: '#9aa5b4' },
  dark: { bg: '#0f1216', surface: '#171b21', border: '#39424f', text: '#e6e9ee', muted: '#93a0b0', edge: '#6b7888', dead: '#ff6b6b', ok: '#4cc38a', warn: '#f0a63a', critical: '#ff6b6b', unknown: '#6b7888' },
} as const;

const DASH: Record<EdgeState, string | null> = { live: null, recent: null, stale: '6 5', declaredOnly: '2 5' };
const MARGIN = 24;

function escapeXml(text: string): string {
  return text.replace(/[<>&'"]/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', "'": '&apos;', '"': '&quot;' })[c]!);
}

/** Cuts a label to what fits in `px` at about 7 px per character, so names never run out of their box. */
function fit(text: string, px: number): string {
  const max = Math.max(4, Math.floor(px / 7));
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

/**
 * The map as a standalone SVG document: the same boxes, names, figures and flows as on screen, drawn from the
 * layout rather than copied from the DOM, so the file is small, sharp at any size and opens in any viewer.
 */
export function mapToSvg(nodes: readonly ExportNode[], edges: readonly ExportEdge[], options: { theme: ExportTheme; title: string }): string {
  const c = PALETTE[options.theme];
  const byId = new Map(nodes.map((n) => [n.id, n]));
  const minX = Math.min(0, ...nodes.map((n) => n.x)) - MARGIN;
  const minY = Math.min(0, ...nodes.map((n) => n.y)) - MARGIN - 28;
  const maxX = Math.max(0, ...nodes.map((n) => n.x + n.width)) + MARGIN;
  const maxY = Math.max(0, ...nodes.map((n) => n.y + n.height)) + MARGIN;
  const width = Math.ceil(maxX - minX);
  const height = Math.ceil(maxY - minY);
  const out: string[] = [];
  out.push(`<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="${minX} ${minY} ${width} ${height}" font-family="system-ui, -apple-system, 'Segoe UI', Roboto, 'DejaVu Sans', sans-serif">`);
  out.push(`<rect x="${minX}" y="${minY}" width="${width}" height="${height}" fill="${c.bg}"/>`);
  out.push(`<text x="${minX + MARGIN}" y="${minY + MARGIN + 4}" font-size="14" font-weight="600" fill="${c.text}">${escapeXml(options.title)}</text>`);
  for (const e of edges) {
    const from = byId.get(e.from);
    const to = byId.get(e.to);
    if (!from || !to) continue;
    const sx = from.x + from.width;
    const sy = from.y + from.height / 2;
    const tx = to.x;
    const ty = to.y + to.height / 2;
    const bend = Math.max(40, Math.abs(tx - sx) / 2);
    const colour = e.kind === 'deadLetters' ? c.dead : c.edge;
    const dash = DASH[e.state] ?? (e.kind === 'deadLetters' ? '4 4' : null);
    const opacity = e.state === 'recent' ? 0.55 : e.state === 'stale' || e.state === 'declaredOnly' ? 0.7 : 0.9;
    out.push(`<path d="M${sx},${sy} C${sx + bend},${sy} ${tx - bend},${ty} ${tx},${ty}" fill="none" stroke="${colour}" stroke-width="${e.width.toFixed(2)}" stroke-opacity="${opacity}"${dash ? ` stroke-dasharray="${dash}"` : ''}/>`);
    if (e.label) {
      out.push(`<text x="${(sx + tx) / 2}" y="${(sy + ty) / 2 - 4}" font-size="11" text-anchor="middle" fill="${c.muted}" stroke="${c.bg}" stroke-width="4" paint-order="stroke">${escapeXml(e.label)}</text>`);
    }
  }
  for (const n of nodes) {
    out.push(`<g transform="translate(${n.x},${n.y})">`);
    out.push(`<rect width="${n.width}" height="${n.height}" rx="8" fill="${c.surface}" stroke="${c.border}"${n.kind === 'unknownProducer' ? ' stroke-dasharray="4 3"' : ''}/>`);
    out.push(`<rect width="5" height="${n.height}" rx="2" fill="${c[n.health]}"/>`);
    out.push(`<text x="14" y="24" font-size="13" font-weight="600" fill="${c.text}">${escapeXml(fit(n.name, n.width - 24))}</text>`);
    const badges = n.badges.join('  ');
    out.push(`<text x="14" y="${n.height - 14}" font-size="11" fill="${c.muted}">${escapeXml(fit(n.note, n.width - 28 - badges.length * 7))}</text>`);
    if (badges) out.push(`<text x="${n.width - 10}" y="${n.height - 14}" font-size="11" font-weight="600" text-anchor="end" fill="${c.text}">${escapeXml(badges)}</text>`);
    out.push('</g>');
  }
  out.push('</svg>');
  return out.join('\n');
}
