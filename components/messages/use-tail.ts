'use client';
import { useCallback, useEffect, useRef, useState } from 'react';
import { tailAckSchema, tailBatchSchema, tailRequestSchema, type FilterError, type MessageRecord, type TailRequest } from '../../lib/contract';
import { getSocket } from '../realtime/socket';
import { recordKey } from './RecordTable';

/** Records kept in view; older ones are dropped (and counted). */
export const TAIL_MAX_RECORDS = 1000;
/** How long the server has to accept or refuse a tail. */
const START_TIMEOUT_MS = 15_000;
/** Batches kept while a start's ack is still on its way (the server may send the first batch before it). */
const MAX_EARLY_BATCHES = 20;

export type TailStatus = 'off' | 'starting' | 'live' | 'reconnecting' | 'ended' | 'error';

export interface TailProblem {
  error: string | null;
  message: string;
  filterError: FilterError | null;
}

export interface TailState {
  status: TailStatus;
  /** Newest first, at most TAIL_MAX_RECORDS. */
  records: MessageRecord[];
  /** Records that left the view to keep it at TAIL_MAX_RECORDS. */
  droppedFromView: number;
  /** Matched records the server dropped because this browser was not keeping up (accumulated). */
  skipped: number;
  /** Records the server read (before the filter) since the tail started. */
  scanned: number;
  /** Matched records received since the tail was switched on. */
  received: number;
  /** Why the server stopped the tail on its own, when it did. */
  ended: string | null;
  problem: TailProblem | null;
  /** Batches that did not match the contract (acknowledged and left out). */
  invalidBatches: number;
  paused: boolean;
  /** Records received while paused, shown on resume. */
  newWhilePaused: number;
  /** Times the tail was started again after the connection came back: records written meanwhile are missing. */
  restarts: number;
  /** When the tail was switched on (browser clock). */
  since: number | null;
}

export interface Tail extends TailState {
  setPaused: (paused: boolean) => void;
  /** Empties the view (the tail goes on). */
  clear: () => void;
  /** Starts again after an error or an end. */
  restart: () => void;
}

const OFF: TailState = { status: 'off', records: [], droppedFromView: 0, skipped: 0, scanned: 0, received: 0, ended: null, problem: null, invalidBatches: 0, paused: false, newWhilePaused: 0, restarts: 0, since: null };


/** Puts `incoming` (newest first) on top of `view`, without duplicates, cut to `max`: the new view and how many left it. */
export function mergeNewestFirst(view: readonly MessageRecord[], incoming: readonly MessageRecord[], max = TAIL_MAX_RECORDS): { records: MessageRecord[]; dropped: number } {
  if (incoming.length === 0) return { records: view as MessageRecord[], dropped: 0 };
  const seen = new Set(view.map(recordKey));
  const fresh = incoming.filter((r) => {
    const k = recordKey(r);
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
  const all = [...fresh, ...view];
  return all.length > max ? { records: all.slice(0, max), dropped: all.length - max } : { records: all, dropped: 0 };
}

/**
 * The live tail of a topic over socket.io: `messages:tail` starts it (the ack says yes with a tail id, or no with
 * the reason), `messages:tail:batch` brings records oldest first, each batch acknowledged once taken in (the
 * server's flow control: it sends the next only after that, and counts what it had to drop in `skipped`),
 * `messages:tail:stop` ends it. A reconnect starts it again; unmounting or switching off stops it.
 *
 * Pause keeps receiving (and acknowledging) but freezes the view; the records received meanwhile are shown on
 * resume (within the same 1,000 cap).
 */
export function useTail(cluster: string, topic: string, options: { partitions: number[] | null; filter: string }, active: boolean): Tail {
  const [state, setState] = useState<TailState>(OFF);
  const [nonce, setNonce] = useState(0);
  const pausedRef = useRef(false);
  /** Newest first: what arrived while paused. */
  const heldRef = useRef<MessageRecord[]>([]);
  const partitionsKey = options.partitions ? options.partitions.join(',') : '';
  const filter = options.filter;

  useEffect(() => {
    pausedRef.current = false;
    heldRef.current = [];
    if (!active) {
      setState(OFF);
      return;
    }
    const request: TailRequest = { cluster, topic };
    if (partitionsKey !== '') request.partitions = partitionsKey.split(',').map(Number);
    if (filter !== '') request.filter = filter;
    setState({ ...OFF, status: 'starting', since: Date.now() });

    const valid = tailRequestSchema.safeParse(request);
    if (!valid.success) {
      setState({ ...OFF, status: 'error', problem: { error: 'bad_request', message: `This tail cannot be started: ${valid.error.issues[0]?.message ?? 'invalid request'}.`, filterError: null } });
      return;
    }

    const socket = getSocket();
    let cancelled = false;
    let tailId: string | null = null;
    /** Bumped per start: an ack from an earlier attempt (lost in a disconnect) is ignored. */
    let attempt = 0;
    let startedOnce = false;
    let finished = false;
    /** A start is in flight (no ack yet). */
    let starting = false;
    let early: unknown[] = [];

    const start = () => {
      attempt += 1;
      const mine = attempt;
      starting = true;
      early = [];
      setState((s) => ({ ...s, status: startedOnce ? 'reconnecting' : 'starting' }));
      socket.timeout(START_TIMEOUT_MS).emit('messages:tail', valid.data, (err: Error | null, raw: unknown) => {
        if (mine === attempt) starting = false;
        if (cancelled || mine !== attempt) {
          // Started after all but nobody wants it any more.
          const late = tailAckSchema.safeParse(raw);
          if (!err && late.success && late.data.ok) socket.emit('messages:tail:stop', { tailId: late.data.tailId });
          return;
        }
        if (err) {
          // A disconnect meanwhile: the reconnect starts again. Otherwise the server never answered.
          if (!socket.connected) return;
          finished = true;
          setState((s) => ({ ...s, status: 'error', problem: { error: 'timeout', message: `The server did not answer the live-tail request within ${START_TIMEOUT_MS / 1000} s.`, filterError: null } }));
          return;
        }
        const ack = tailAckSchema.safeParse(raw);
        if (!ack.success) {
          finished = true;
          setState((s) => ({ ...s, status: 'error', problem: { error: 'bad_response', message: 'The server answered the live-tail request with something this page does not understand; reload the page.', filterError: null } }));
          return;
        }
        if (!ack.data.ok) {
          finished = true;
          const refused = ack.data;
          setState((s) => ({ ...s, status: 'error', problem: { error: refused.error, message: refused.message, filterError: refused.filterError ?? null } }));
          return;
        }
        tailId = ack.data.tailId;
        const restarted = startedOnce;
        startedOnce = true;
        setState((s) => ({ ...s, status: 'live', restarts: s.restarts + (restarted ? 1 : 0) }));
        const id = tailId;
        const overtaken = early.filter((b) => (b as { tailId?: unknown }).tailId === id);
        early = [];
        for (const b of overtaken) take(b);
      });
    };

    const onBatch = (raw: unknown, ack?: unknown) => {
      const id = raw && typeof raw === 'object' ? (raw as { tailId?: unknown }).tailId : undefined;
      if (!cancelled && tailId === null && starting && typeof id === 'string' && early.length < MAX_EARLY_BATCHES) {
        // A batch that overtook the start's ack: kept until the ack says whose it is.
        early.push(raw);
      } else if (!cancelled && tailId !== null && id === tailId) take(raw);
      // After React has had a turn to take the batch in: the ack is what lets the server send the next one.
      if (typeof ack === 'function') setTimeout(() => (ack as () => void)(), 0);
    };

    const take = (raw: unknown) => {
      const batch = tailBatchSchema.safeParse(raw);
      if (!batch.success) {
        setState((s) => ({ ...s, invalidBatches: s.invalidBatches + 1 }));
        return;
      }
      const b = batch.data;
      const incoming = [...b.records].reverse();
      if (b.ended !== null) {
        tailId = null;
        finished = true;
      }
      const counts = (s: TailState): TailState => ({
        ...s,
        skipped: s.skipped + b.skipped,
        scanned: b.scanned,
        received: s.received + b.records.length,
        ...(b.ended !== null ? { status: 'ended' as const, ended: b.ended } : {}),
      });
      if (pausedRef.current) {
        // Outside the updater: React may run an updater twice, and this ref must change once.
        const held = mergeNewestFirst(heldRef.current, incoming);
        heldRef.current = held.records;
        setState((s) => ({ ...counts(s), newWhilePaused: s.newWhilePaused + b.records.length, droppedFromView: s.droppedFromView + held.dropped }));
      } else {
        setState((s) => {
          const merged = mergeNewestFirst(s.records, incoming);
          return { ...counts(s), records: merged.records, droppedFromView: s.droppedFromView + merged.dropped };
        });
      }
    };

    const onConnect = () => {
      if (!cancelled && !finished && tailId === null) start();
    };
    const onDisconnect = () => {
      // The server ends a tail when its socket goes: start a new one on reconnect.
      tailId = null;
      starting = false;
      early = [];
      if (!finished) setState((s) => ({ ...s, status: startedOnce ? 'reconnecting' : 'starting' }));
    };
    socket.on('messages:tail:batch', onBatch);
    socket.on('connect', onConnect);
    socket.on('disconnect', onDisconnect);
    // Not connected yet (first page load): the connect handler starts it; the status stays "starting".
    if (socket.connected) start();

    return () => {
      cancelled = true;
      socket.off('messages:tail:batch', onBatch);
      socket.off('connect', onConnect);
      socket.off('disconnect', onDisconnect);
      if (tailId !== null) socket.emit('messages:tail:stop', { tailId });
      tailId = null;
    };
  }, [cluster, topic, partitionsKey, filter, active, nonce]);

  const setPaused = useCallback((paused: boolean) => {
    pausedRef.current = paused;
    if (paused) {
      setState((s) => ({ ...s, paused: true, newWhilePaused: 0 }));
      return;
    }
    const held = heldRef.current;
    heldRef.current = [];
    setState((s) => {
      const merged = mergeNewestFirst(s.records, held);
      return { ...s, paused: false, newWhilePaused: 0, records: merged.records, droppedFromView: s.droppedFromView + merged.dropped };
    });
  }, []);

  const clear = useCallback(() => {
    heldRef.current = [];
    setState((s) => ({ ...s, records: [], newWhilePaused: 0 }));
  }, []);

  const restart = useCallback(() => setNonce((n) => n + 1), []);

  return { ...state, setPaused, clear, restart };
}
