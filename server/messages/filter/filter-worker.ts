import { parentPort, workerData } from 'node:worker_threads';
import { plannedFilter } from './evaluate';
import { unpackRecords } from './pack';
import { Progress, type BatchRequest, type BatchResponse, type WorkerData } from './protocol';

/**
 * A filter worker: evaluates batches of records and answers with one byte per record. It publishes which record
 * it is on, so the pool can terminate it when one record takes longer than the budget; it keeps no state a
 * restart would lose except the cache of planned filters.
 */

const port = parentPort!;
const progress = new Progress((workerData as WorkerData).progress);

port.on('message', (request: BatchRequest) => {
  let response: BatchResponse;
  const started = performance.now();
  try {
    const filter = plannedFilter({ source: request.source });
    const records = unpackRecords(request.batch);
    const matches = new Uint8Array(records.length);
    let errors = 0;
    let firstError: string | null = null;
    for (let i = 0; i < records.length; i++) {
      progress.start(i);
      const verdict = filter.evaluate(records[i]!);
      if (verdict === true) {
        matches[i] = 1;
      } else if (verdict !== false) {
        errors++;
        firstError ??= `partition ${records[i]!.partition} offset ${records[i]!.offset}: ${verdict}`;
      }
    }
    response = { id: request.id, ok: true, matches, errors, firstError, elapsedMs: performance.now() - started };
  } catch (e) {
    response = { id: request.id, ok: false, message: e instanceof Error ? e.message : String(e) };
  } finally {
    progress.idle();
  }
  port.postMessage(response, response.ok ? [response.matches.buffer] : []);
});
