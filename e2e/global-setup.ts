import { execFileSync } from 'node:child_process';
import { startDemo } from '../demo/scenario';

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
  return async () => {
    await demo.stop();
  };
}
