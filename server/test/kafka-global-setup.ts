import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/**
 * Starts the real local Kafka broker once for all integration tests (idempotent: an already running broker is
 * reused). The broker is left running afterwards: starting a JVM broker costs seconds, and `npm test` stops it.
 */
export default function setup(): void {
  const root = fileURLToPath(new URL('../..', import.meta.url));
  execFileSync('bash', ['scripts/kafka.sh', 'start'], { cwd: root, stdio: 'inherit', env: process.env });
}
