import { execFileSync, spawn } from 'node:child_process';

/**
 * The comparison for the replay benchmark: kcat (librdkafka) copying the same range, one consume → produce pipe
 * per partition so partitions map one to one like a replay with `partitioning: same`. Keys travel with `-K`, the
 * value as the rest of the line: the benchmark's values are printable ASCII without tabs or newlines.
 */
export function ensureKcat(): string {
  const version = () => {
    const text = execFileSync('kcat', ['-V'], { encoding: 'utf8' });
    return `kcat ${/Version ([\w.-]+)/.exec(text)?.[1] ?? '?'} (librdkafka ${/librdkafka ([\w.-]+)/.exec(text)?.[1] ?? '?'})`;
  };
  try {
    return version();
  } catch {
    // The bench installs what it needs: a new machine has nothing installed by hand.
    execFileSync('bash', ['-c', 'apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq kcat'], { stdio: 'inherit' });
    return version();
  }
}

function pipe(brokers: string, source: string, target: string, partition: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const consume = spawn('kcat', ['-C', '-b', brokers, '-t', source, '-p', String(partition), '-o', 'beginning', '-e', '-q', '-f', '%k\t%s\n'], { stdio: ['ignore', 'pipe', 'inherit'] });
    // acks=all and idempotence, like the replay's producer, so both write with the same guarantees.
    const produce = spawn('kcat', ['-P', '-b', brokers, '-t', target, '-p', String(partition), '-K', '\t', '-X', 'enable.idempotence=true', '-X', 'acks=all'], { stdio: ['pipe', 'inherit', 'inherit'] });
    consume.stdout.pipe(produce.stdin);
    let failed = false;
    const fail = (what: string) => (code: number | null) => {
      if (code !== 0 && !failed) {
        failed = true;
        reject(new Error(`kcat ${what} exited with ${code}`));
      }
    };
    consume.on('exit', fail('consumer'));
    produce.on('exit', (code) => {
      fail('producer')(code);
      if (code === 0) resolve();
    });
  });
}

/** Copies every record of `source` into `target` (same partition numbers); resolves when all are produced. */
export async function kcatCopy(brokers: string, source: string, target: string, partitions: number): Promise<number> {
  const started = performance.now();
  await Promise.all(Array.from({ length: partitions }, (_, p) => pipe(brokers, source, target, p)));
  return performance.now() - started;
}
