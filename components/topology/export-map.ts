'use client';
import { formatCount, formatDuration, formatRate } from '../../lib/format';
import { carriesData, flowWidth } from '../../lib/topology/edge-style';
import { mapToSvg, type ExportEdge, type ExportNode } from '../../lib/topology/export-svg';
import type { MapState } from './map-store';
import type { MapGraph } from './use-map-graph';
import { NODE_HEIGHT, NODE_WIDTH } from './nodes/NodeShell';

/** Browsers refuse canvases much larger than this; a huge map is scaled down to fit. */
const MAX_CANVAS_SIDE = 16_000;

function exportSvg(graph: MapGraph, state: Pick<MapState, 'nodeFigures' | 'edgeFigures' | 'nodeNotes'>, title: string): { svg: string; width: number; height: number } {
  const theme = document.documentElement.dataset.theme === 'dark' ? 'dark' : 'light';
  const nodes: ExportNode[] = graph.view.nodes.map((n) => {
    const f = state.nodeFigures.get(n.id);
    const badges: string[] = [];
    if (f?.lag !== null && f?.lag !== undefined && (n.kind === 'consumerGroup' || f.lag > 0)) badges.push(`lag ${formatCount(f.lag)}${f.lagSeconds !== null && f.lagSeconds >= 1 ? ` · ${formatDuration(f.lagSeconds)}` : ''}`);
    if (f?.status) badges.push(f.status.replace('_', ' '));
    else if (f?.messagesPerSec !== null && f?.messagesPerSec !== undefined) badges.push(formatRate(f.messagesPerSec));
    const p = graph.positions.get(n.id) ?? { x: 0, y: 0 };
    return { id: n.id, kind: n.kind, name: n.name, note: state.nodeNotes.get(n.id) ?? '', health: f?.health ?? 'unknown', badges, x: p.x, y: p.y, width: NODE_WIDTH, height: NODE_HEIGHT };
  });
  const edges: ExportEdge[] = graph.view.edges.map((e) => {
    const f = state.edgeFigures.get(e.id);
    const rate = f?.messagesPerSec ?? null;
    return { from: e.from, to: e.to, kind: e.kind, state: f?.state ?? 'live', width: flowWidth(e.kind, rate), label: carriesData(e.kind) && rate !== null ? formatRate(rate) : null };
  });
  const svg = mapToSvg(nodes, edges, { theme, title });
  const size = /width="(\d+)" height="(\d+)"/.exec(svg);
  return { svg, width: Number(size?.[1] ?? 800), height: Number(size?.[2] ?? 600) };
}

function save(blob: Blob, name: string): void {
  const href = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = href;
  a.download = name;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(href), 10_000);
}

/** Downloads the map as drawn now (filters, folds, figures) as SVG, or as PNG rendered from that SVG at 2×. */
export async function downloadMap(format: 'svg' | 'png', graph: MapGraph, state: MapState, title: string): Promise<void> {
  const { svg, width, height } = exportSvg(graph, state, title);
  const stamp = new Date().toISOString().replace(/[:.]/g, '-').slice(0, 19);
  if (format === 'svg') {
    save(new Blob([svg], { type: 'image/svg+xml' }), `topolog-map-${stamp}.svg`);
    return;
  }
  const scale = Math.min(2, MAX_CANVAS_SIDE / width, MAX_CANVAS_SIDE / height);
  const image = new Image();
  image.src = `data:image/svg+xml;charset=utf-8,${encodeURIComponent(svg)}`;
  await image.decode();
  const canvas = document.createElement('canvas');
  canvas.width = Math.round(width * scale);
  canvas.height = Math.round(height * scale);
  const ctx = canvas.getContext('2d');
  if (!ctx) throw new Error('This browser cannot draw to a canvas; export as SVG instead.');
  ctx.scale(scale, scale);
  ctx.drawImage(image, 0, 0, width, height);
  const blob = await new Promise<Blob | null>((resolve) => canvas.toBlob(resolve, 'image/png'));
  if (!blob) throw new Error('The map is too large for a PNG in this browser; export as SVG instead.');
  save(blob, `topolog-map-${stamp}.png`);
}
