import type { FastifyRequest } from 'fastify';
import type { AuditIntent, AuditLog, AuditOutcome } from '../store';

/** A write that did not run: the status and body the route answers with. The refusal is in the audit log. */
export class WriteRefused extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly hint: string,
    readonly auditId: number | null = null,
    /** Extra fields for the answer, e.g. the members blocking a reset. */
    readonly details: Record<string, unknown> = {},
  ) {
    super(message);
  }
}

/** What a write reports back: its audit outcome and result, and the value the route returns. */
export interface WriteResult<T> {
  outcome: AuditOutcome;
  result: unknown;
  value: T;
}

/**
 * The one door every write goes through (reset, undo, replay start/pause/resume/cancel, produce):
 * 1. a read-only cluster refuses, and the refusal is audited;
 * 2. the intent is written to the audit log *before* the write; if that fails the write is refused (503);
 * 3. the outcome is recorded after, also when the write throws.
 */
export class WriteGuard {
  readonly #audit: AuditLog;
  readonly #readOnly: (cluster: string) => boolean;
  readonly #log: (line: string) => void;

  constructor(audit: AuditLog, readOnly: (cluster: string) => boolean, log: (line: string) => void = () => undefined) {
    this.#audit = audit;
    this.#readOnly = readOnly;
    this.#log = log;
  }

  /** There is no login yet: the client's address and user agent say who. */
  static actorOf(req: FastifyRequest): string {
    const agent = String(req.headers['user-agent'] ?? '').slice(0, 120);
    return agent ? `${req.ip} (${agent})` : req.ip;
  }

  readOnly(cluster: string): boolean {
    return this.#readOnly(cluster);
  }

  async run<T>(intent: AuditIntent, work: (auditId: number) => Promise<WriteResult<T>>): Promise<T> {
    if (this.#readOnly(intent.cluster)) {
      throw this.refuse(intent, 403, 'read_only', `Cluster "${intent.cluster}" is read-only: Topolog does not write to it.`, 'Set readOnly: false for this cluster in the Topolog config to allow writes.');
    }
    let auditId: number;
    try {
      auditId = this.#audit.intent(intent);
    } catch (err) {
      this.#log(`audit log write failed, refusing ${intent.action} on ${intent.target}: ${(err as Error).message}`);
      throw new WriteRefused(503, 'audit_unavailable', `The audit log could not record this ${intent.action}, so it was not run.`, `Check that Topolog's data directory is writable and has free space (${(err as Error).message}).`);
    }
    try {
      const done = await work(auditId);
      this.#finish(auditId, done.outcome, done.result);
      return done.value;
    } catch (err) {
      if (err instanceof WriteRefused) {
        this.#finish(auditId, 'refused', { code: err.code, message: err.message });
        throw new WriteRefused(err.status, err.code, err.message, err.hint, auditId, err.details);
      }
      this.#finish(auditId, 'failed', { message: (err as Error).message });
      throw err;
    }
  }

  /** Audits a refusal that happens before any intent (bad confirmation, members present) and returns the error. */
  refuse(intent: AuditIntent, status: number, code: string, message: string, hint: string, details: Record<string, unknown> = {}): WriteRefused {
    let auditId: number | null = null;
    try {
      auditId = this.#audit.refused(intent, { code, message, ...details });
    } catch (err) {
      this.#log(`audit log write failed for a refused ${intent.action}: ${(err as Error).message}`);
    }
    return new WriteRefused(status, code, message, hint, auditId, details);
  }

  /**
   * For a refusal raised before run() could write an intent (an unknown, expired or altered plan): audits it and
   * returns the audited error. Anything else is returned as it is.
   */
  auditEarlyRefusal(err: unknown, intent: AuditIntent): unknown {
    if (!(err instanceof WriteRefused) || err.auditId !== null) return err;
    return this.refuse(intent, err.status, err.code, err.message, err.hint, err.details);
  }

  #finish(id: number, outcome: AuditOutcome, result: unknown): void {
    try {
      this.#audit.finish(id, outcome, result);
    } catch (err) {
      // The intent row stays 'pending': the log still shows the action was attempted.
      this.#log(`audit log could not record the outcome of entry ${id}: ${(err as Error).message}`);
    }
  }
}
