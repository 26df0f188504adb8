import { describe, expect, it } from 'vitest';
import { mapToSvg, type ExportNode } from './export-svg';

const node = (id: string, name: string, x: number, y: number, extra: Partial<ExportNode> = {}): ExportNode => ({
  id, kind: 'topic', name, note: 'topic · 6 partitions', health: 'unknown', badges: ['6.7/s'], x, y, width: 228, height: 64, ...extra,
});

describe('mapToSvg', () => {
  it('draws every node with its name and figures and every flow between known nodes', () => {
    const svg = mapToSvg(
      [node('service:signup-service', 'signup-service', 0, 0, { kind: 'service', note: 'service' }), node('topic:user.registered', 'user.registered', 348, 0), node('consumerGroup:email-service', 'email-service', 696, 0, { kind: 'consumerGroup', health: 'critical', badges: ['lag 1.2k', 'STALL'] })],
      [
        { from: 'service:signup-service', to: 'topic:user.registered', kind: 'produces', state: 'live', width: 3, label: '6.7/s' },
        { from: 'topic:user.registered', to: 'consumerGroup:email-service', kind: 'consumes', state: 'stale', width: 1.5, label: null },
        { from: 'topic:user.registered', to: 'topic:gone', kind: 'deadLetters', state: 'live', width: 1.5, label: null },
      ],
      { theme: 'light', title: 'local — live' },
    );
    expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
    expect(svg).toContain('>signup-service<');
    expect(svg).toContain('>lag 1.2k  STALL<');
    expect(svg).toContain('#c62828'); // the critical group's stripe
    expect(svg.match(/<path /g)).toHaveLength(2); // the edge to an unknown node is skipped
    expect(svg).toContain('stroke-dasharray="6 5"'); // stale is dashed
    expect(svg).toContain('>6.7/s<');
  });
  it('escapes names, so a hostile topic name cannot inject markup', () => {
    const svg = mapToSvg([node('topic:x', '<script>alert(1)</script>&"', 0, 0)], [], { theme: 'dark', title: 'a & b' });
    expect(svg).not.toContain('<script>');
    expect(svg).toContain('&lt;script&gt;');
    expect(svg).toContain('a &amp; b');
  });
  it('cuts long names to their box', () => {
    const svg = mapToSvg([node('topic:long', 'a'.repeat(200), 0, 0)], [], { theme: 'light', title: 't' });
    expect(svg).toMatch(/>a{20,40}…</);
  });
});
