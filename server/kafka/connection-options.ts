import { readFileSync } from 'node:fs';
import type { ConnectionOptions } from 'node:tls';
import type { ClusterConfig } from '../config/schema';

/**
 * What every Topolog client of a cluster shares: bootstrap, TLS, SASL, and failing fast (the callers own retries
 * and backoff, so the client must not hide an outage for long).
 */
export function clientOptions(cluster: ClusterConfig, clientId: string) {
  const sasl = cluster.sasl;
  return {
    clientId,
    bootstrapBrokers: cluster.brokers,
    connectTimeout: 5_000,
    requestTimeout: 15_000,
    retries: 0,
    tls: tlsOptions(cluster),
    sasl: sasl ? { mechanism: sasl.mechanism, username: sasl.username, password: sasl.password } : undefined,
  };
}

/** TLS options for node:tls from the cluster config; PEM paths are read once, at client creation. */
export function tlsOptions(cluster: ClusterConfig): ConnectionOptions | undefined {
  const tls = cluster.tls;
  if (!tls) return undefined;
  if (tls === true) return {};
  const read = (path: string | undefined, what: string) => {
    if (!path) return undefined;
    try {
      return readFileSync(path);
    } catch (err) {
      throw new Error(`cluster "${cluster.id}": cannot read the TLS ${what} file ${path} (${(err as NodeJS.ErrnoException).code ?? 'error'})`);
    }
  };
  return {
    ca: read(tls.ca, 'CA'),
    cert: read(tls.cert, 'certificate'),
    key: read(tls.key, 'key'),
    rejectUnauthorized: tls.rejectUnauthorized,
    servername: tls.servername,
  };
}

/** The configured bootstrap brokers ("host:port", IPv6 in brackets) as endpoints a connection pool takes. */
export function bootstrapEndpoints(cluster: ClusterConfig): { host: string; port: number }[] {
  return cluster.brokers.map((b) => {
    const i = b.lastIndexOf(':');
    return { host: b.slice(0, i).replace(/^\[|\]$/g, ''), port: Number(b.slice(i + 1)) };
  });
}
