import { createTopologServer, type TopologServer } from '../app';
import { configSchema, type ClusterConfig, type TopologConfigInput } from '../config/schema';
import { TEST_BROKERS, tempDataDir } from './kafka-fixtures';

/**
 * Topolog on a free port against the test broker, API only, quiet, with fast polls and a fresh data directory:
 * cluster "local", and "frozen" (the same broker, read-only) to test refusals. `extra` adds or replaces settings.
 */
export async function startTestServer(extra: Partial<TopologConfigInput> = {}): Promise<{ server: TopologServer; url: string }> {
  const config = configSchema.parse({
    port: 0,
    dataDir: tempDataDir(),
    pollIntervalMs: 1000,
    slowPollIntervalMs: 2000,
    clusters: [
      { id: 'local', brokers: TEST_BROKERS },
      { id: 'frozen', brokers: TEST_BROKERS, readOnly: true },
    ],
    ...extra,
  });
  const server = await createTopologServer(config, { ui: false, log: () => undefined });
  return { server, url: await server.listen() };
}

/** The test broker as cluster "local", for tests that use a Kafka client of the server directly. */
export function localCluster(): ClusterConfig {
  return configSchema.parse({ clusters: [{ id: 'local', brokers: TEST_BROKERS }] }).clusters[0]!;
}
