/**
 * Prints a running Topolog's topology as text, one edge per line, with state, confidence, drift, rate and the
 * evidence sources behind it: `node --import tsx scripts/topology-summary.ts [url] [cluster] [--json file]`.
 */
import { writeFileSync } from 'node:fs';
import type { Topology } from '../lib/contract';

const args = process.argv.slice(2);
const jsonAt = args.indexOf('--json');
const jsonFile = jsonAt >= 0 ? args.splice(jsonAt, 2)[1] : undefined;
const [url = 'http://127.0.0.1:3000', cluster = 'local'] = args;
const res = await fetch(`${url}/api/clusters/${cluster}/topology`);
if (!res.ok) {
  console.error(`GET topology: HTTP ${res.status}: ${await res.text()}`);
  process.exit(1);
}
const g = (await res.json()) as Topology;
if (jsonFile) writeFileSync(jsonFile, JSON.stringify(g, null, 2));
console.log(`${g.nodes.length} nodes, ${g.edges.length} edges at ${new Date(g.at).toISOString()}`);
for (const kind of ['service', 'topic', 'consumerGroup', 'unknownProducer', 'connector', 'externalSystem'] as const) {
  const names = g.nodes.filter((n) => n.kind === kind).map((n) => (n.kind === 'topic' && n.metrics.messagesPerSec !== null ? `${n.name} (${n.metrics.messagesPerSec}/s, unattributed ${n.metrics.unattributedPerSec}/s)` : n.name));
  if (names.length) console.log(`${kind}: ${names.join(', ')}`);
}
for (const e of g.edges) {
  const rate = e.metrics.messagesPerSec === null ? '' : ` ${e.metrics.messagesPerSec}/s (${e.metrics.method})`;
  const sources = [...new Set(e.evidence.map((x) => x.source))].join('+');
  console.log(`${e.from} --${e.kind}--> ${e.to}  [${e.state}, conf ${e.confidence}${e.drift ? `, ${e.drift}` : ''}]${rate}  via ${sources}`);
}
for (const s of g.sources) console.log(`source ${s.source}: ${s.enabled ? 'on' : 'off'}${s.error ? ` (${s.error})` : ''}`);
if (g.cost) console.log(`last cycle: ${g.cost.requests} requests, ${g.cost.sampledPartitions} partitions sampled, ${g.cost.bytesRead} bytes read`);
