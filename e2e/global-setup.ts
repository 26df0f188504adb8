import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { startDemo } from '../demo/scenario';

/** Where the demo services' process ids go, so a test can pause one (tests run in other processes). */
export const DEMO_PIDS_FILE = '.test-data/e2e-demo-pids.json';

/**
 * The real local Kafka broker and the demo microservices, running for the whole e2e run; the teardown stops
 * the services (consumers leave their groups). The broker stays up: npm test stops it at the very end.
 */
export default async function globalSetup(): Promise<() => Promise<void>> {
  execFileSync('bash', ['scripts/kafka.sh', 'start'], { stdio: 'inherit' });
  const demo = await startDemo({
    brokers: `127.0.0.1:${process.env.KAFKA_PORT ?? '9092'}`,
    log: (line) => {
      if (process.env.E2E_DEMO_LOG) console.log(line);
    },
  });
  mkdirSync('.test-data', { recursive: true });
  writeFileSync(DEMO_PIDS_FILE, JSON.stringify(demo.pids()));
  return async () => {
    await demo.stop();
  };
}
