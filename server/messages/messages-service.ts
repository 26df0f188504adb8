import type { ClusterConfig } from '../config/schema';
import { KafkaMessagesClient, UnknownTopicError } from '../kafka/messages-client';
import type { TopicRecord } from '../kafka/record-reader';
import { MAX_CONCURRENT_SCANS } from './budgets';
import { MessagesError } from './errors';
import { compileFilter } from './filter/compile';
import { FilterBudgetError, FilterPool, FilterWorkerError } from './filter/pool';
import type { RecordFilter } from './scan';
import { ScanReadError } from './scan';

/**
 * Everything the messages routes and the tail share: one Kafka messages client per cluster, one pool of filter
 * workers for the whole server, and a cap on scans running at once so a burst of heavy searches cannot starve the
 * rest of the server.
 */
export class MessagesService {
  readonly #clients = new Map<string, KafkaMessagesClient>();
  readonly #configs = new Map<string, ClusterConfig>();
  readonly pool: FilterPool;
  #running = 0;

  constructor(clusters: readonly ClusterConfig[], options: { filterWorkers?: number } = {}) {
    for (const c of clusters) this.#configs.set(c.id, c);
    this.pool = new FilterPool(options.filterWorkers === undefined ? {} : { size: options.filterWorkers });
  }

  client(cluster: string): KafkaMessagesClient {
    let client = this.#clients.get(cluster);
    if (!client) {
      const config = this.#configs.get(cluster);
      if (!config) throw new MessagesError(404, 'unknown_cluster', `No cluster "${cluster}" is configured.`);
      this.#clients.set(cluster, (client = new KafkaMessagesClient(config)));
    }
    return client;
  }

  /** Compiles a filter once, or refuses it with the position of the problem. null source: no filter. */
  filter(source: string | null | undefined): RecordFilter | null {
    if (source === null || source === undefined || source.trim() === '') return null;
    const compiled = compileFilter(source);
    if (!compiled.ok) {
      throw new MessagesError(400, 'invalid_filter', `The filter does not compile: ${compiled.error.message}`, 'Filters are CEL expressions over key, value, headers, partition, offset and timestamp.', compiled.error);
    }
    const pool = this.pool;
    return { match: (records: readonly TopicRecord[]) => pool.match(compiled.filter, records) };
  }

  /** Runs a scan under the concurrency cap and turns Kafka and filter failures into answers that say what to do. */
  async scan<T>(cluster: string, work: (client: KafkaMessagesClient) => Promise<T>): Promise<T> {
    const client = this.client(cluster);
    const release = this.slot();
    try {
      return await work(client);
    } catch (err) {
      throw this.explain(err, client);
    } finally {
      release();
    }
  }

  /** One of the MAX_CONCURRENT_SCANS places, for work that outlives a request handler (an export's stream). */
  slot(): () => void {
    if (this.#running >= MAX_CONCURRENT_SCANS) {
      throw new MessagesError(429, 'busy', `${this.#running} message scans are already running on this server.`, 'Try again in a few seconds, or narrow the scan (fewer partitions, a start offset or time).');
    }
    this.#running++;
    let released = false;
    return () => {
      if (!released) this.#running--;
      released = true;
    };
  }

  /** A failure as an answer that says what to do; connections are dropped only after a Kafka or network failure. */
  explain(err: unknown, client: KafkaMessagesClient): MessagesError {
    if (err instanceof MessagesError) return err;
    if (err instanceof UnknownTopicError) {
      return new MessagesError(404, 'unknown_topic', err.message, 'Topic names are case-sensitive; GET /api/clusters/:cluster/topics lists them.');
    }
    if (err instanceof FilterBudgetError) return new MessagesError(422, 'filter_budget', err.message, 'Simplify the filter; the server stopped it and keeps serving.');
    if (err instanceof FilterWorkerError) return new MessagesError(422, 'filter_failed', err.message, 'The filter worker gave up (out of memory, or it crashed); simplify the filter. The server keeps serving.');
    // Anything else came from Kafka or the network: start the next request on fresh connections.
    void client.reset();
    const message = err instanceof Error ? err.message : String(err);
    if (err instanceof ScanReadError) return new MessagesError(503, 'kafka_read_failed', message, 'A leader may be moving; try again in a few seconds.');
    return new MessagesError(503, 'kafka_unavailable', `Kafka could not be read: ${message}`, 'Check that the brokers are up (the cluster banner says more); Topolog retries on the next request.');
  }

  async close(): Promise<void> {
    await Promise.all([...this.#clients.values()].map((c) => c.close()));
    await this.pool.close();
  }
}
