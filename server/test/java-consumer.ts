import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { TEST_BROKERS } from './kafka-fixtures';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

/**
 * Kafka's own Java console consumer from the broker jars: the JVM client, and on 4.x a KIP-848 member with
 * `group.protocol=consumer` (kafkajs only speaks the classic protocol). Returns a stop function.
 */
export function startJavaConsumer(topic: string, groupId: string, { protocol = 'consumer', clientId = `${groupId}-jvm` } = {}): () => Promise<void> {
  const child: ChildProcess = spawn(
    'bash',
    [
      'scripts/kafka.sh', 'run-class', 'org.apache.kafka.tools.consumer.ConsoleConsumer',
      '--bootstrap-server', TEST_BROKERS[0]!, '--topic', topic, '--group', groupId, '--from-beginning',
      '--command-property', `group.protocol=${protocol}`, '--command-property', `client.id=${clientId}`,
    ],
    { cwd: ROOT, stdio: ['ignore', 'ignore', 'pipe'], detached: true },
  );
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-4000);
  });
  return async () => {
    if (child.exitCode !== null) return;
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    // The whole process group: bash and the JVM it started.
    try {
      process.kill(-child.pid!, 'SIGTERM');
    } catch {
      // already gone
    }
    const timer = setTimeout(() => {
      try {
        process.kill(-child.pid!, 'SIGKILL');
      } catch {
        // already gone
      }
    }, 10_000);
    await exited;
    clearTimeout(timer);
    if (process.env.DEBUG_JAVA_CONSUMER) console.error(stderr);
  };
}

/** Runs one of Kafka's own command-line tools (e.g. kafka-consumer-groups) from the broker jars; resolves to stdout. */
export function runKafkaTool(mainClass: string, args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn('bash', ['scripts/kafka.sh', 'run-class', mainClass, ...args], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    child.on('exit', (code) => (code === 0 ? resolve(stdout) : reject(new Error(`${mainClass} exited ${code}: ${stderr.slice(-2000)}`))));
  });
}

export const CONSUMER_GROUP_COMMAND = 'org.apache.kafka.tools.consumer.group.ConsumerGroupCommand';
