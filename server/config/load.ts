import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { configSchema, type TopologConfig } from './schema';

export class ConfigError extends Error {
  override name = 'ConfigError';
}

export interface CliOptions {
  config: TopologConfig;
  dev: boolean;
  /** Where each setting came from, for the start-up log. */
  sources: string[];
}

const USAGE = `Usage: topolog [--brokers host:port[,host:port]] [--port 3000] [--host 127.0.0.1] [--config topolog.json]
                [--data-dir ./data] [--poll-interval-ms 5000] [--slow-poll-interval-ms 30000] [--dev]

Environment: KAFKA_BROKERS, PORT, HOST, TOPOLOG_CONFIG, TOPOLOG_DATA_DIR, TOPOLOG_POLL_INTERVAL_MS, TOPOLOG_SLOW_POLL_INTERVAL_MS,
             KAFKA_SASL_MECHANISM, KAFKA_SASL_USERNAME, KAFKA_SASL_PASSWORD, KAFKA_TLS=1
Precedence: flags, then environment, then the config file, then defaults.`;

export function usage(): string {
  return USAGE;
}

/** Reads flags, environment and the config file, merges them and validates the result. Throws ConfigError. */
export type Env = Record<string, string | undefined>;

export function loadConfig(argv: string[], env: Env): CliOptions {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      strict: true,
      allowPositionals: false,
      options: {
        brokers: { type: 'string' },
        port: { type: 'string' },
        host: { type: 'string' },
        config: { type: 'string' },
        'data-dir': { type: 'string' },
        'poll-interval-ms': { type: 'string' },
        'slow-poll-interval-ms': { type: 'string' },
        dev: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (err) {
    throw new ConfigError(`${(err as Error).message}\n\n${USAGE}`);
  }
  const flags = parsed.values;
  if (flags.help) throw new ConfigError(USAGE);

  const sources: string[] = [];
  const configPath = flags.config ?? env.TOPOLOG_CONFIG;
  const fileConfig: Record<string, unknown> = configPath ? readConfigFile(configPath) : {};
  if (configPath) sources.push(`config file ${configPath}`);

  const merged: Record<string, unknown> = { ...fileConfig };
  const pick = (flag: string | undefined, envName: string, key: string, asNumber = false) => {
    const raw = flag ?? env[envName];
    if (raw === undefined || raw === '') return;
    merged[key] = asNumber ? toNumber(raw, flag !== undefined ? `--${kebab(key)}` : envName) : raw;
    sources.push(flag !== undefined ? `--${kebab(key)}` : envName);
  };
  pick(flags.host, 'HOST', 'host');
  pick(flags.port, 'PORT', 'port', true);
  pick(flags['data-dir'], 'TOPOLOG_DATA_DIR', 'dataDir');
  pick(flags['poll-interval-ms'], 'TOPOLOG_POLL_INTERVAL_MS', 'pollIntervalMs', true);
  pick(flags['slow-poll-interval-ms'], 'TOPOLOG_SLOW_POLL_INTERVAL_MS', 'slowPollIntervalMs', true);

  const brokers = flags.brokers ?? env.KAFKA_BROKERS;
  if (brokers) {
    // A broker list on the command line or in the environment names the one cluster to watch.
    merged.clusters = [clusterFromEnv(brokers, env)];
    sources.push(flags.brokers !== undefined ? '--brokers' : 'KAFKA_BROKERS');
  } else if (merged.clusters === undefined) {
    merged.clusters = [clusterFromEnv('127.0.0.1:9092', env)];
    sources.push('default cluster 127.0.0.1:9092 (pass --brokers to change)');
  }

  const result = configSchema.safeParse(merged);
  if (!result.success) {
    throw new ConfigError(`Invalid configuration${configPath ? ` (${configPath})` : ''}:\n${formatIssues(result.error)}`);
  }
  return { config: result.data, dev: flags.dev ?? false, sources };
}

function clusterFromEnv(brokers: string, env: Env): Record<string, unknown> {
  const cluster: Record<string, unknown> = {
    id: 'default',
    name: env.KAFKA_CLUSTER_NAME ?? 'default',
    brokers: brokers.split(',').map((b) => b.trim()).filter(Boolean),
  };
  if (env.KAFKA_SASL_MECHANISM) {
    cluster.sasl = {
      mechanism: env.KAFKA_SASL_MECHANISM,
      username: env.KAFKA_SASL_USERNAME,
      password: env.KAFKA_SASL_PASSWORD,
    };
  }
  if (env.KAFKA_TLS === '1' || env.KAFKA_TLS === 'true') cluster.tls = true;
  return cluster;
}

function readConfigFile(path: string): Record<string, unknown> {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new ConfigError(`Cannot read the config file ${path}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}. Check the path given to --config / TOPOLOG_CONFIG.`);
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    throw new ConfigError(`The config file ${path} is not valid JSON: ${(err as Error).message}`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new ConfigError(`The config file ${path} must hold a JSON object such as {"clusters": [{"id": "local", "brokers": ["127.0.0.1:9092"]}]}`);
  }
  return value as Record<string, unknown>;
}

function toNumber(raw: string, name: string): number {
  const n = Number(raw);
  if (!Number.isFinite(n) || raw.trim() === '') throw new ConfigError(`${name}: expected a number, got "${raw}"`);
  return n;
}

function kebab(key: string): string {
  return key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
}

/** One line per problem: the key's path, what was wrong, what is expected. */
export function formatIssues(error: z.ZodError): string {
  return error.issues
    .map((issue) => {
      const path = issue.path.length ? issue.path.map((p) => (typeof p === 'number' ? `[${p}]` : `.${String(p)}`)).join('').replace(/^\./, '') : '(top level)';
      return `  - ${path}: ${issue.message}`;
    })
    .join('\n');
}
