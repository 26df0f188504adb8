import type { DatabaseSync, StatementSync } from 'node:sqlite';
import type { EdgeKind, EvidenceSource, NodeKind } from '../../lib/contract/topology';
import { factKey, nodeId, type Detail, type EvidenceSpan, type NodeRef, type NodeSpan } from '../../lib/topology/evidence';

/** One observation of an edge fact in this cycle. `extend: false` records the fact if it is new but does not keep it alive. */
export interface EdgeObservation {
  span: Omit<EvidenceSpan, 'firstSeen' | 'lastSeen'>;
  seenAt: number;
  extend?: boolean;
  /** Overrides EvidenceLogOptions.gapMs for a fact observed less often, such as a declaration reloaded every few minutes. */
  gapMs?: number;
}

export interface NodeObservation {
  node: NodeRef;
  seenAt: number;
  detail: Detail;
}

export interface RateRow {
  subject: string;
  rate: number;
  method: string | null;
}

export interface EvidenceLogOptions {
  /** A fact not observed for longer than this starts a new span when it comes back. */
  gapMs: number;
  /** last_seen is written at most this often per span (memory is exact; the table lags by up to this much). */
  flushMs: number;
}

interface OpenFact {
  id: number;
  firstEver: number;
  firstSeen: number;
  lastSeen: number;
  writtenLastSeen: number;
  detailJson: string;
  span: EvidenceSpan | null;
  node: NodeSpan | null;
}

/**
 * The topology evidence log in SQLite (table topology_spans, see migrations.ts). Memory holds the newest span of
 * each fact, so the live graph never reads the table; a past graph (`?at=`) reads the spans overlapping that time.
 */
export class EvidenceLog {
  readonly #db: DatabaseSync;
  readonly #open = new Map<string, Map<string, OpenFact>>();
  readonly #insert: StatementSync;
  readonly #update: StatementSync;
  readonly #insertRate: StatementSync;

  constructor(db: DatabaseSync) {
    this.#db = db;
    this.#insert = db.prepare(
      `INSERT INTO topology_spans (cluster, fact, edge_kind, from_kind, from_name, to_kind, to_name, source, fact_key, weight, first_seen, last_seen, detail)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
    );
    this.#update = db.prepare('UPDATE topology_spans SET last_seen = ?, detail = ?, weight = coalesce(?, weight) WHERE id = ?');
    this.#insertRate = db.prepare('INSERT OR REPLACE INTO topology_rates (cluster, t, subject, rate, method) VALUES (?, ?, ?, ?, ?)');
  }

  /** Loads the newest span of every fact seen since `sinceMs`: call once per cluster at start-up. */
  load(cluster: string, sinceMs: number): number {
    const facts = new Map<string, OpenFact>();
    const firstEver = new Map<string, number>();
    for (const row of this.#db.prepare('SELECT fact, min(first_seen) AS f FROM topology_spans WHERE cluster = ? GROUP BY fact').all(cluster)) {
      firstEver.set(String(row.fact), Number(row.f));
    }
    for (const row of this.#db.prepare('SELECT * FROM topology_spans WHERE cluster = ? AND last_seen >= ? ORDER BY id').all(cluster, sinceMs)) {
      const parsed = rowToSpan(row);
      const fact = String(row.fact);
      facts.set(fact, {
        id: Number(row.id),
        firstEver: firstEver.get(fact) ?? Number(row.first_seen),
        firstSeen: Number(row.first_seen),
        lastSeen: Number(row.last_seen),
        writtenLastSeen: Number(row.last_seen),
        detailJson: String(row.detail),
        span: parsed.span,
        node: parsed.node,
      });
    }
    this.#open.set(cluster, facts);
    return facts.size;
  }

  /** Records one cycle's observations in one transaction. */
  observe(cluster: string, edges: readonly EdgeObservation[], nodes: readonly NodeObservation[], options: EvidenceLogOptions): void {
    let facts = this.#open.get(cluster);
    if (!facts) this.#open.set(cluster, (facts = new Map()));
    this.#db.exec('BEGIN IMMEDIATE');
    try {
      for (const o of edges) {
        const span: EvidenceSpan = { ...o.span, firstSeen: o.seenAt, lastSeen: o.seenAt };
        this.#observeFact(cluster, facts, factKey(span), o.seenAt, o.extend !== false, span.detail, o.gapMs ? { ...options, gapMs: o.gapMs } : options, { span, node: null }, span.weight);
      }
      for (const o of nodes) {
        const node: NodeSpan = { node: o.node, firstSeen: o.seenAt, lastSeen: o.seenAt, detail: o.detail };
        this.#observeFact(cluster, facts, `node|${nodeId(o.node)}`, o.seenAt, true, o.detail, options, { span: null, node }, null);
      }
      this.#db.exec('COMMIT');
    } catch (err) {
      if (this.#db.isTransaction) this.#db.exec('ROLLBACK');
      // Memory may now be ahead of the table for this cycle's facts; the next load() corrects it.
      throw err;
    }
  }

  #observeFact(
    cluster: string,
    facts: Map<string, OpenFact>,
    fact: string,
    seenAt: number,
    extend: boolean,
    detail: Detail,
    options: EvidenceLogOptions,
    what: { span: EvidenceSpan | null; node: NodeSpan | null },
    weight: number | null,
  ): void {
    const open = facts.get(fact);
    if (open && (seenAt - open.lastSeen <= options.gapMs || !extend)) {
      // Continuous (or only confirming it exists): move the end forward, keep the latest detail.
      if (!extend || seenAt <= open.lastSeen) return;
      const detailJson = JSON.stringify(detail);
      open.lastSeen = seenAt;
      const detailChanged = detailJson !== open.detailJson;
      open.detailJson = detailJson;
      if (open.span) open.span = { ...open.span, detail, weight: weight ?? open.span.weight, lastSeen: seenAt };
      if (open.node) open.node = { ...open.node, detail, lastSeen: seenAt };
      if (detailChanged || seenAt - open.writtenLastSeen >= options.flushMs) {
        this.#update.run(seenAt, detailJson, weight, open.id);
        open.writtenLastSeen = seenAt;
      }
      return;
    }
    if (open && seenAt <= open.lastSeen) return;
    const detailJson = JSON.stringify(detail);
    const s = what.span;
    const from = s ? s.from : what.node!.node;
    const row = this.#insert.get(
      cluster, fact, s?.edgeKind ?? null, from.kind, from.name, s?.to.kind ?? null, s?.to.name ?? null, s?.source ?? null, s?.key ?? null, weight,
      seenAt, seenAt, detailJson,
    );
    facts.set(fact, {
      id: Number(row!.id),
      firstEver: open?.firstEver ?? seenAt,
      firstSeen: seenAt,
      lastSeen: seenAt,
      writtenLastSeen: seenAt,
      detailJson,
      span: what.span,
      node: what.node,
    });
  }

  /** The newest span of every fact seen since `sinceMs`, first-seen set to the fact's first ever observation. */
  current(cluster: string, sinceMs: number): { spans: EvidenceSpan[]; nodes: NodeSpan[] } {
    const spans: EvidenceSpan[] = [];
    const nodes: NodeSpan[] = [];
    // Only a read: forgetting a fact here would make the next observe() take a quiet fact for a new one and append
    // a fresh span every cycle. Memory is trimmed with the table, in expire().
    for (const open of this.#open.get(cluster)?.values() ?? []) {
      if (open.lastSeen < sinceMs) continue;
      if (open.span) spans.push({ ...open.span, firstSeen: open.firstEver, lastSeen: open.lastSeen });
      if (open.node) nodes.push({ ...open.node, firstSeen: open.firstEver, lastSeen: open.lastSeen });
    }
    return { spans, nodes };
  }

  /** Every span overlapping [fromMs, atMs] as stored: the input of a past graph. */
  spansBetween(cluster: string, fromMs: number, atMs: number): { spans: EvidenceSpan[]; nodes: NodeSpan[] } {
    const spans: EvidenceSpan[] = [];
    const nodes: NodeSpan[] = [];
    const rows = this.#db.prepare('SELECT * FROM topology_spans WHERE cluster = ? AND last_seen >= ? AND first_seen <= ?').all(cluster, fromMs, atMs);
    for (const row of rows) {
      const parsed = rowToSpan(row);
      if (parsed.span) spans.push(parsed.span);
      if (parsed.node) nodes.push(parsed.node);
    }
    return { spans, nodes };
  }

  recordRates(cluster: string, t: number, rates: readonly RateRow[]): void {
    if (rates.length === 0) return;
    this.#db.exec('BEGIN IMMEDIATE');
    try {
      for (const r of rates) this.#insertRate.run(cluster, t, r.subject, r.rate, r.method);
      this.#db.exec('COMMIT');
    } catch (err) {
      if (this.#db.isTransaction) this.#db.exec('ROLLBACK');
      throw err;
    }
  }

  /** The newest rate of each subject written in [atMs - toleranceMs, atMs]. */
  ratesAt(cluster: string, atMs: number, toleranceMs: number): Map<string, { rate: number; method: string | null }> {
    const result = new Map<string, { rate: number; method: string | null }>();
    const rows = this.#db
      .prepare('SELECT subject, rate, method FROM topology_rates WHERE cluster = ? AND t BETWEEN ? AND ? ORDER BY t')
      .all(cluster, atMs - toleranceMs, atMs);
    for (const row of rows) result.set(String(row.subject), { rate: Number(row.rate), method: row.method === null ? null : String(row.method) });
    return result;
  }

  /** Retention: spans that ended and rates written before `beforeMs` go. */
  expire(beforeMs: number): number {
    for (const facts of this.#open.values()) for (const [fact, open] of facts) if (open.lastSeen < beforeMs) facts.delete(fact);
    const spans = this.#db.prepare('DELETE FROM topology_spans WHERE last_seen < ?').run(beforeMs).changes;
    const rates = this.#db.prepare('DELETE FROM topology_rates WHERE t < ?').run(beforeMs).changes;
    return Number(spans) + Number(rates);
  }
}

function rowToSpan(row: Record<string, unknown>): { span: EvidenceSpan | null; node: NodeSpan | null } {
  const detail = JSON.parse(String(row.detail)) as Detail;
  const from: NodeRef = { kind: String(row.from_kind) as NodeKind, name: String(row.from_name) };
  const firstSeen = Number(row.first_seen);
  const lastSeen = Number(row.last_seen);
  if (row.edge_kind === null) return { span: null, node: { node: from, firstSeen, lastSeen, detail } };
  return {
    node: null,
    span: {
      edgeKind: String(row.edge_kind) as EdgeKind,
      from,
      to: { kind: String(row.to_kind) as NodeKind, name: String(row.to_name) },
      source: String(row.source) as EvidenceSource,
      key: String(row.fact_key),
      weight: Number(row.weight),
      firstSeen,
      lastSeen,
      detail,
    },
  };
}
