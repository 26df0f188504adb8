/**
 * Prometheus text exposition (version 0.0.4). Unknown values are omitted, never written as NaN, so sums and
 * alerts in PromQL are not poisoned by one bad partition.
 */
export type Labels = Record<string, string | number>;
export interface Sample {
  labels: Labels;
  value: number | null;
}

export class Exposition {
  readonly #lines: string[] = [];

  #family(name: string, type: 'gauge' | 'counter' | 'histogram', help: string): void {
    this.#lines.push(`# HELP ${name} ${help.replace(/\\/g, '\\\\').replace(/\n/g, '\\n')}`, `# TYPE ${name} ${type}`);
  }

  gauge(name: string, help: string, samples: Iterable<Sample>): this {
    return this.#write(name, 'gauge', help, samples);
  }

  counter(name: string, help: string, samples: Iterable<Sample>): this {
    return this.#write(name, 'counter', help, samples);
  }

  /** A histogram from cumulative bucket counts (upper bounds ascending), their sum and count. */
  histogram(name: string, help: string, labels: Labels, buckets: { le: number; count: number }[], sum: number, count: number): this {
    this.#family(name, 'histogram', help);
    for (const b of buckets) this.#lines.push(`${name}_bucket${formatLabels({ ...labels, le: String(b.le) })} ${b.count}`);
    this.#lines.push(`${name}_bucket${formatLabels({ ...labels, le: '+Inf' })} ${count}`);
    this.#lines.push(`${name}_sum${formatLabels(labels)} ${formatValue(sum)}`, `${name}_count${formatLabels(labels)} ${count}`);
    return this;
  }

  #write(name: string, type: 'gauge' | 'counter', help: string, samples: Iterable<Sample>): this {
    const body: string[] = [];
    for (const s of samples) {
      if (s.value === null || !Number.isFinite(s.value)) continue;
      body.push(`${name}${formatLabels(s.labels)} ${formatValue(s.value)}`);
    }
    if (body.length === 0) return this;
    this.#family(name, type, help);
    this.#lines.push(...body);
    return this;
  }

  toString(): string {
    return this.#lines.length ? `${this.#lines.join('\n')}\n` : '';
  }
}

export function formatLabels(labels: Labels): string {
  const entries = Object.entries(labels);
  if (entries.length === 0) return '';
  return `{${entries.map(([k, v]) => `${k}="${String(v).replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/"/g, '\\"')}"`).join(',')}}`;
}

function formatValue(value: number): string {
  return Number.isInteger(value) ? String(value) : String(Number(value.toPrecision(12)));
}
