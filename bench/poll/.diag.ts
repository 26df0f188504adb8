import { readFileSync } from 'node:fs';
import v8 from 'node:v8';
import { clusterConfigSchema } from '../../server/config/schema';
import { ClusterWatcher } from '../../server/poller/cluster-watcher';
const N = Number(process.argv[2] ?? 8);
function report(tag: string) {
  global.gc?.(); global.gc?.();
  const m = process.memoryUsage();
  const rollup = readFileSync('/proc/self/smaps_rollup', 'utf8').split('\n').filter((l) => /^(Rss|Anonymous|Pss_File|Private_Dirty)/.test(l)).join(' | ');
  const spaces = v8.getHeapSpaceStatistics().map((s) => `${s.space_name}:${Math.round(s.space_size / 1048576)}`).join(' ');
  console.log(tag, 'rss', Math.round(m.rss / 1048576), 'heapTotal', Math.round(m.heapTotal / 1048576), 'used', Math.round(m.heapUsed / 1048576), 'ext', Math.round(m.external / 1048576), 'ab', Math.round(m.arrayBuffers / 1048576));
  console.log('  ', rollup.replace(/\s+/g, ' '));
  console.log('  ', spaces);
}
report('baseline');
const w = new ClusterWatcher(clusterConfigSchema.parse({ id: 'd', brokers: ['127.0.0.1:9892'] }), { pollIntervalMs: 2000, slowPollIntervalMs: 3_600_000 });
let n = 0;
w.start();
await new Promise<void>((r) => w.on('update', () => { n++; if (n === 1 || n % 4 === 0) report(`cycle ${n}`); if (n >= N) r(); }));
await w.stop();
report('stopped');
