import type { DatabaseSync, StatementSync } from 'node:sqlite';
import type { ReplayJobState, ResetRecord } from '../../lib/contract';

/** A stored re-produce job: `body` is the request and its resolved ranges, `progress` the checkpoint. */
export interface StoredJob {
  id: string;
  cluster: string;
  state: ReplayJobState;
  createdAt: number;
  updatedAt: number;
  /** JSON-parsed; the job service validates it. */
  body: unknown;
  progress: unknown;
}

/**
 * Offset resets (with the offsets they replaced, for undo) and re-produce jobs (tables offset_resets and
 * replay_jobs, migration 6). A job's progress row is its checkpoint: written after the records it counts were
 * acknowledged by Kafka, so a restart resumes from it.
 */
export class ReplayStore {
  readonly #db: DatabaseSync;
  readonly #insertReset: StatementSync;
  readonly #markUndone: StatementSync;
  readonly #insertJob: StatementSync;
  readonly #updateJob: StatementSync;
  readonly #getJob: StatementSync;

  constructor(db: DatabaseSync) {
    this.#db = db;
    this.#insertReset = db.prepare('INSERT INTO offset_resets (id, cluster, grp, at, body, undo_of, undone_by) VALUES (?, ?, ?, ?, ?, ?, NULL)');
    this.#markUndone = db.prepare('UPDATE offset_resets SET undone_by = ? WHERE id = ? AND undone_by IS NULL');
    this.#insertJob = db.prepare('INSERT INTO replay_jobs (id, cluster, state, created_at, updated_at, body, progress) VALUES (?, ?, ?, ?, ?, ?, ?)');
    this.#updateJob = db.prepare('UPDATE replay_jobs SET state = ?, updated_at = ?, progress = ? WHERE id = ?');
    this.#getJob = db.prepare('SELECT * FROM replay_jobs WHERE id = ?');
  }

  // Offset resets ---------------------------------------------------------------------------------------------------

  /** Stores an applied reset; an undo also marks the reset it undid. One transaction. */
  addReset(record: ResetRecord): void {
    this.#db.exec('BEGIN IMMEDIATE');
    try {
      const { undoneBy: _undoneBy, undoable: _undoable, ...body } = record;
      this.#insertReset.run(record.id, record.cluster, record.group, record.at, JSON.stringify(body), record.undoOf);
      if (record.undoOf) this.#markUndone.run(record.id, record.undoOf);
      this.#db.exec('COMMIT');
    } catch (err) {
      this.#db.exec('ROLLBACK');
      throw err;
    }
  }

  /** A group's resets, newest first; `group` null lists the cluster's. */
  resets(cluster: string, group: string | null, limit = 100): ResetRecord[] {
    const rows = group === null
      ? this.#db.prepare('SELECT * FROM offset_resets WHERE cluster = ? ORDER BY at DESC, id DESC LIMIT ?').all(cluster, limit)
      : this.#db.prepare('SELECT * FROM offset_resets WHERE cluster = ? AND grp = ? ORDER BY at DESC, id DESC LIMIT ?').all(cluster, group, limit);
    return rows.map(toReset);
  }

  reset(id: string): ResetRecord | null {
    const row = this.#db.prepare('SELECT * FROM offset_resets WHERE id = ?').get(id);
    return row ? toReset(row) : null;
  }

  // Re-produce jobs -------------------------------------------------------------------------------------------------

  addJob(job: StoredJob): void {
    this.#insertJob.run(job.id, job.cluster, job.state, job.createdAt, job.updatedAt, JSON.stringify(job.body), JSON.stringify(job.progress));
  }

  /** The checkpoint: state and progress together, in one statement. */
  saveJob(id: string, state: ReplayJobState, progress: unknown, at: number): void {
    this.#updateJob.run(state, at, JSON.stringify(progress), id);
  }

  job(id: string): StoredJob | null {
    const row = this.#getJob.get(id);
    return row ? toJob(row) : null;
  }

  /** Newest first; cluster null lists every cluster's. */
  jobs(cluster: string | null, limit = 200): StoredJob[] {
    const rows = cluster === null
      ? this.#db.prepare('SELECT * FROM replay_jobs ORDER BY created_at DESC LIMIT ?').all(limit)
      : this.#db.prepare('SELECT * FROM replay_jobs WHERE cluster = ? ORDER BY created_at DESC LIMIT ?').all(cluster, limit);
    return rows.map(toJob);
  }
}

function toReset(row: Record<string, unknown>): ResetRecord {
  const body = JSON.parse(String(row.body)) as Omit<ResetRecord, 'undoneBy' | 'undoable'>;
  const undoneBy = row.undone_by === null ? null : String(row.undone_by);
  return { ...body, undoneBy, undoable: undoneBy === null && body.outcome !== 'failed' && body.partitions.some((p) => p.previous !== null && p.error === null) };
}

function toJob(row: Record<string, unknown>): StoredJob {
  return {
    id: String(row.id),
    cluster: String(row.cluster),
    state: row.state as ReplayJobState,
    createdAt: Number(row.created_at),
    updatedAt: Number(row.updated_at),
    body: JSON.parse(String(row.body)) as unknown,
    progress: JSON.parse(String(row.progress)) as unknown,
  };
}
