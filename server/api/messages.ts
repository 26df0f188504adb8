import { Readable } from 'node:stream';
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { browseDirectionSchema, browseStartSchema, produceRequestSchema, type BrowseResponse, type MessagesApiError, type ProduceResponse, type RecordResponse } from '../../lib/contract';
import { CSV_CONTENT_TYPE, JSONL_CONTENT_TYPE } from '../../lib/messages/export-format';
import { DEFAULT_PAGE_SIZE, FULL_PAYLOAD_BYTES, MAX_PAGE_SIZE } from '../messages/budgets';
import { browsePage, resolveBrowse, type BrowseQuery } from '../messages/browse';
import { MessagesError } from '../messages/errors';
import { exportRows, MAX_EXPORT_RECORDS } from '../messages/export';
import type { MessagesService } from '../messages/messages-service';
import { decodePayload } from '../messages/produce-input';
import { toMessageRecord } from '../messages/to-message';
import { WriteGuard, WriteRefused } from '../audit/write-guard';
import { resolveCluster, sendError, sendRefused, type ApiContext } from './context';

const topicParams = z.object({ cluster: z.string().min(1).max(249), topic: z.string().min(1).max(249) });
const recordParams = topicParams.extend({ partition: z.coerce.number().int().nonnegative(), offset: z.coerce.number().int().nonnegative() });

/** epoch ms, or an ISO 8601 date. */
const timeParam = z.string().transform((text, ctx) => {
  const value = /^\d+$/.test(text) ? Number(text) : Date.parse(text);
  if (!Number.isFinite(value)) {
    ctx.addIssue({ code: 'custom', message: 'time must be epoch milliseconds or an ISO 8601 date such as 2026-11-22T08:00:00Z' });
    return z.NEVER;
  }
  return value;
});

const browseQuerySchema = z.object({
  partitions: z
    .string()
    .regex(/^\d+(,\d+)*$/, 'partitions is a comma-separated list of partition numbers, e.g. 0,2,5')
    .transform((s) => [...new Set(s.split(',').map(Number))])
    .optional(),
  start: browseStartSchema.default('newest'),
  offset: z.coerce.number().int().nonnegative().optional(),
  time: timeParam.optional(),
  direction: browseDirectionSchema.optional(),
  limit: z.coerce.number().int().min(1).max(MAX_PAGE_SIZE).default(DEFAULT_PAGE_SIZE),
  // The filter's own limits (length, depth, ...) are checked by the compiler, which says what to change.
  filter: z.string().max(100_000).optional(),
  cursor: z.string().max(200_000).optional(),
});

const exportQuerySchema = browseQuerySchema.extend({
  format: z.enum(['jsonl', 'csv']).default('jsonl'),
  max: z.coerce.number().int().min(1).max(MAX_EXPORT_RECORDS).default(10_000),
});

function toQuery(q: z.infer<typeof browseQuerySchema>): BrowseQuery {
  return { partitions: q.partitions ?? null, start: q.start, offset: q.offset ?? null, time: q.time ?? null, direction: q.direction ?? null, limit: q.limit, cursor: q.cursor ?? null };
}

function badRequest(reply: FastifyReply, error: z.ZodError): void {
  const issue = error.issues[0]!;
  send(reply, new MessagesError(400, 'bad_request', `${issue.path.join('.') || 'request'}: ${issue.message}`, 'See the messages routes in the README.'));
}

function send(reply: FastifyReply, err: MessagesError): void {
  const body: MessagesApiError = { error: err.code, message: err.message, ...(err.hint ? { hint: err.hint } : {}), ...(err.filterError ? { filterError: err.filterError } : {}) };
  sendError(reply, err.status, body);
}

/** Aborts when the browser goes away, so an abandoned scan stops reading Kafka. */
function abortOnClose(req: FastifyRequest, reply: FastifyReply): AbortSignal {
  const controller = new AbortController();
  reply.raw.on('close', () => {
    if (!reply.raw.writableFinished) controller.abort();
  });
  req.raw.on('aborted', () => controller.abort());
  return controller.signal;
}

export const messageRoutes: FastifyPluginAsync<ApiContext & { messages: MessagesService }> = async (app, ctx) => {
  const { messages } = ctx;
  const guard = async <T>(reply: FastifyReply, work: () => Promise<T>): Promise<T | void> => {
    try {
      return await work();
    } catch (err) {
      if (err instanceof MessagesError) return send(reply, err);
      if (err instanceof WriteRefused) return void sendRefused(reply, err);
      throw err;
    }
  };

  /** The record at exactly that offset, or a 404 that says why there may be none. */
  const readOne = async (cluster: string, topic: string, partition: number, offset: number) => {
    const record = await messages.scan(cluster, (client) => client.readOne(topic, partition, offset));
    if (!record) {
      throw new MessagesError(404, 'no_record', `No record at offset ${offset} of partition ${partition} in "${topic}".`, 'It may have been removed by retention or compaction, or not be written yet.');
    }
    return record;
  };

  app.get('/api/clusters/:cluster/topics/:topic/messages', async (req, reply): Promise<BrowseResponse | void> => {
    if (!resolveCluster(ctx, req.params, reply)) return;
    const params = topicParams.safeParse(req.params);
    if (!params.success) return badRequest(reply, params.error);
    const { cluster, topic } = params.data;
    const query = browseQuerySchema.safeParse(req.query);
    if (!query.success) return badRequest(reply, query.error);
    return guard(reply, () =>
      messages.scan(cluster, async (client) => {
        const filter = messages.filter(query.data.filter);
        const resolved = await resolveBrowse(client, topic, toQuery(query.data));
        const { response, scan } = await browsePage(client, cluster, topic, resolved, { limit: query.data.limit, filter, signal: abortOnClose(req, reply) });
        return { ...response, records: scan.records.map((r) => toMessageRecord(r)) };
      }),
    );
  });

  app.get('/api/clusters/:cluster/topics/:topic/messages/export', async (req, reply) => {
    if (!resolveCluster(ctx, req.params, reply)) return;
    const params = topicParams.safeParse(req.params);
    if (!params.success) return badRequest(reply, params.error);
    const { cluster, topic } = params.data;
    const query = exportQuerySchema.safeParse(req.query);
    if (!query.success) return badRequest(reply, query.error);
    const { format, max } = query.data;
    // Resolve before streaming, so a bad filter or topic still gets a proper error status.
    const prepared = await guard(reply, async () => {
      const filter = messages.filter(query.data.filter);
      return messages.scan(cluster, async (client) => ({ client, filter, resolved: await resolveBrowse(client, topic, toQuery(query.data)) }));
    });
    if (!prepared) return;
    const stamp = new Date().toISOString().replace(/[:.]/g, '-');
    // The export holds a scan place for as long as it streams.
    const release = await guard(reply, async () => messages.slot());
    if (!release) return;
    // Also on close: a stream destroyed before its first read never runs the generator's finally.
    reply.raw.on('close', release);
    const rows = exportRows(prepared.client, prepared.resolved, { format, max, filter: prepared.filter, signal: abortOnClose(req, reply) });
    async function* held() {
      try {
        yield* rows;
      } finally {
        release!();
      }
    }
    return reply
      .header('content-type', format === 'csv' ? CSV_CONTENT_TYPE : JSONL_CONTENT_TYPE)
      .header('content-disposition', attachment(`${topic}-${stamp}.${format}`))
      .send(Readable.from(held()));
  });

  app.get('/api/clusters/:cluster/topics/:topic/messages/:partition/:offset', async (req, reply): Promise<RecordResponse | void> => {
    if (!resolveCluster(ctx, req.params, reply)) return;
    const params = recordParams.safeParse(req.params);
    if (!params.success) return badRequest(reply, params.error);
    const { cluster, topic, partition, offset } = params.data;
    return guard(reply, async () => {
      const record = await readOne(cluster, topic, partition, offset);
      return { cluster, topic, record: toMessageRecord(record, FULL_PAYLOAD_BYTES) };
    });
  });

  app.get('/api/clusters/:cluster/topics/:topic/messages/:partition/:offset/raw', async (req, reply) => {
    if (!resolveCluster(ctx, req.params, reply)) return;
    const params = recordParams.safeParse(req.params);
    if (!params.success) return badRequest(reply, params.error);
    const part = (req.query as { part?: string }).part === 'key' ? 'key' : 'value';
    const { cluster, topic, partition, offset } = params.data;
    return guard(reply, async () => {
      const record = await readOne(cluster, topic, partition, offset);
      const bytes = record[part];
      if (!bytes) throw new MessagesError(404, 'null_payload', `The ${part} of partition ${partition} offset ${offset} is null.`);
      return reply
        .header('content-type', 'application/octet-stream')
        .header('content-disposition', attachment(`${topic}-${partition}-${offset}.${part}.bin`))
        .send(bytes);
    });
  });

  app.post('/api/clusters/:cluster/topics/:topic/messages', async (req, reply): Promise<ProduceResponse | void> => {
    if (!resolveCluster(ctx, req.params, reply)) return;
    const params = topicParams.safeParse(req.params);
    if (!params.success) return badRequest(reply, params.error);
    const { cluster, topic } = params.data;
    const body = produceRequestSchema.safeParse(req.body);
    if (!body.success) return badRequest(reply, body.error);
    const r = body.data;
    // The audit keeps what was sent, not the payload itself (it may be large or sensitive): sizes and header keys.
    const intent = {
      actor: WriteGuard.actorOf(req),
      cluster,
      action: 'produce' as const,
      target: `topic:${topic}`,
      params: { partition: r.partition, keyEncoding: r.keyEncoding, valueEncoding: r.valueEncoding, keyLength: r.key?.length ?? null, valueLength: r.value?.length ?? null, headerKeys: r.headers.map((h) => h.key) },
    };
    return guard(reply, async () => {
      const record = {
        partition: r.partition,
        key: decodePayload(r.key, r.keyEncoding, 'key'),
        value: decodePayload(r.value, r.valueEncoding, 'value'),
        headers: r.headers.map((h) => [h.key, Buffer.from(h.value ?? '', 'utf8')] as const),
      };
      if (new Set(r.headers.map((h) => h.key)).size < r.headers.length) throw new MessagesError(400, 'bad_request', 'Two headers have the same key.', 'Give each header its own key.');
      return ctx.writes.run(intent, async () => {
        const written = await messages.scan(cluster, async (client) => {
          const layout = await client.layout(topic);
          if (r.partition !== null && !layout.partitions.some((p) => p.partition === r.partition)) {
            throw new MessagesError(400, 'unknown_partition', `Topic "${topic}" has no partition ${r.partition}.`, `Its partitions are 0 to ${layout.partitions.length - 1}; leave the partition empty to let the key decide.`);
          }
          return client.produce(topic, record);
        });
        return { outcome: 'ok', result: written, value: { topic, ...written } };
      });
    });
  });
};

/** Topic names are Kafka's safe alphabet, but the header is built defensively anyway (RFC 6266 filename*). */
function attachment(name: string): string {
  return `attachment; filename="${name.replace(/[^A-Za-z0-9._-]/g, '_')}"; filename*=UTF-8''${encodeURIComponent(name)}`;
}
