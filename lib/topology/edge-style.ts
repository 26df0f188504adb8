/**
 * Edge width from throughput: logarithmic, because rates on one map span 0.1/s to 100k/s and a linear width would
 * make every quiet flow a hairline. 1.5 px for unknown or idle, about +1.6 px per decade, capped at 9 px.
 */
export function edgeWidth(messagesPerSec: number | null): number {
  if (messagesPerSec === null || !(messagesPerSec > 0)) return 1.5;
  return Math.min(9, 1.5 + 1.6 * Math.log10(1 + messagesPerSec));
}
