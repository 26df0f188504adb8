import type { EdgeKind } from '../contract/topology';

/**
 * Edge width from throughput: logarithmic, because rates on one map span 0.1/s to 100k/s and a linear width would
 * make every quiet flow a hairline. 1.5 px for unknown or idle, about +1.6 px per decade, capped at 9 px.
 */
export function edgeWidth(messagesPerSec: number | null): number {
  if (messagesPerSec === null || !(messagesPerSec > 0)) return 1.5;
  return Math.min(9, 1.5 + 1.6 * Math.log10(1 + messagesPerSec));
}

/** Edges that carry records (drawn with a rate and a width); the others show membership or a dead-letter route. */
export function carriesData(kind: EdgeKind): boolean {
  return kind === 'produces' || kind === 'consumes' || kind === 'connects';
}

/** The stroke width of an edge on the map and in exports. */
export function flowWidth(kind: EdgeKind, messagesPerSec: number | null): number {
  return carriesData(kind) ? edgeWidth(messagesPerSec) : 1.25;
}
