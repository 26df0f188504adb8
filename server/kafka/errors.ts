import type { ClusterError } from '../../lib/contract';

/** Every error code and message in an error tree (platformatic wraps causes in MultipleErrors). */
function collect(err: unknown, depth = 0, out: { codes: string[]; messages: string[] } = { codes: [], messages: [] }) {
  if (depth > 6 || err === null || typeof err !== 'object') return out;
  const e = err as { code?: unknown; message?: unknown; errors?: unknown; cause?: unknown };
  if (typeof e.code === 'string') out.codes.push(e.code);
  if (typeof e.message === 'string' && e.message) out.messages.push(e.message);
  if (Array.isArray(e.errors)) for (const inner of e.errors) collect(inner, depth + 1, out);
  if (e.cause) collect(e.cause, depth + 1, out);
  return out;
}

/**
 * Turns a client error into what an engineer needs: what failed, in plain words, and what to check.
 * The raw codes are kept so nothing is hidden.
 */
export function describeKafkaError(err: unknown, brokers: string[]): ClusterError {
  const { codes, messages } = collect(err);
  const where = brokers.join(', ');
  const has = (...wanted: string[]) => codes.some((c) => wanted.includes(c)) || messages.some((m) => wanted.some((w) => m.includes(w)));
  const code = codes.find((c) => c.startsWith('E')) ?? codes[0] ?? null;

  if (has('ECONNREFUSED')) {
    return { code: 'ECONNREFUSED', message: `Connection refused by ${where}.`, hint: 'Is the broker running, and is the address right? Check --brokers / KAFKA_BROKERS or the cluster\'s "brokers" in the config file.' };
  }
  if (has('ENOTFOUND', 'EAI_AGAIN')) {
    return { code: 'ENOTFOUND', message: `Cannot resolve the broker host in ${where}.`, hint: 'Check the host name for typos, and that this machine\'s DNS can resolve it.' };
  }
  if (has('EHOSTUNREACH', 'ENETUNREACH')) {
    return { code: 'EHOSTUNREACH', message: `No route to ${where}.`, hint: 'Check the network path (VPN, firewall, security groups) between Topolog and the brokers.' };
  }
  if (has('ETIMEDOUT', 'PLT_KFK_TIMEOUT', 'Timeout')) {
    return { code: code ?? 'ETIMEDOUT', message: `The brokers at ${where} did not answer in time.`, hint: 'The port may be filtered, or it may not be a Kafka listener (TLS vs plaintext mismatch). Check the address and the cluster\'s "tls" setting.' };
  }
  if (has('SASL', 'Authentication', 'PLT_KFK_AUTHENTICATION')) {
    return { code: code ?? 'AUTHENTICATION', message: `Authentication to ${where} failed.`, hint: 'Check the SASL mechanism, username and password configured for this cluster.' };
  }
  if (has('ECONNRESET', 'EPIPE')) {
    return { code: code ?? 'ECONNRESET', message: `The connection to ${where} was closed by the other side.`, hint: 'This often means a TLS listener contacted in plaintext (or the reverse), or a broker restarting. Check the cluster\'s "tls" setting.' };
  }
  const detail = messages.find((m) => !/failed\.?$/i.test(m)) ?? messages[0] ?? String(err);
  return { code, message: `Kafka request to ${where} failed: ${detail}`, hint: 'See the server log for details; Topolog keeps retrying.' };
}
