import type { AlertRule, AlertRuleKind, AlertSeverity, AlertSubject, GroupStatus } from '../contract';
import { compilePattern, type CompiledPattern } from './pattern';
import * as text from './messages';

/**
 * The alert evaluator: a pure function of the previous per-alert state, this cycle's inputs and the time.
 *
 * Hysteresis, two ways. In time: an alert fires only after `forCycles` consecutive breaching cycles (it is
 * "pending" until then, and a pending alert that clears is dropped without a word), and resolves only after
 * `clearCycles` consecutive clear cycles. In value (lag_seconds): above the threshold breaches, at or below
 * `clearBelowSeconds` clears, and the band in between does neither: it resets the count that was running, so a
 * value oscillating around the SLO neither fires again nor resolves. Unknown readings (no status yet, no lag in
 * seconds) pause the counts rather than reset them: missing data is not evidence either way.
 */

export interface GroupInput {
  id: string;
  status: GroupStatus | null;
  statusReason: string | null;
  lagSum: number | null;
  lagSecondsMax: number | null;
}

export interface TopicInput {
  name: string;
  internal: boolean;
  /** How long its high watermarks have not moved, counting only observed time; null when not known yet. */
  idleMs: number | null;
}

export interface CycleInputs {
  cluster: string;
  pollIntervalMs: number;
  rules: readonly AlertRule[];
  groups: readonly GroupInput[];
  topics: readonly TopicInput[];
}

export type AlertPhase = 'pending' | 'firing';
export type AlertUnit = 'seconds' | 'minutes' | 'cycles';

export interface AlertState {
  /** `ruleId|type:name`: one alert at a time per rule and subject. */
  key: string;
  /** The instance id, fixed when it fires (pending alerts have none worth keeping). */
  id: string;
  cluster: string;
  ruleId: string;
  ruleName: string;
  kind: AlertRuleKind;
  severity: AlertSeverity;
  subject: AlertSubject;
  phase: AlertPhase;
  /** Consecutive breaching cycles (pending), then every breaching cycle since it fired. */
  breachCycles: number;
  /** Consecutive clear cycles while firing. */
  clearCycles: number;
  pendingSince: number;
  /** Firing since; null while pending. */
  since: number | null;
  value: number | null;
  threshold: number | null;
  unit: AlertUnit;
  status: GroupStatus | null;
  message: string;
  /**
   * Consecutive cycles its subject was missing from the cluster's lists (a group between two generations, a
   * listing that came back short). Absent or 0 while it is listed. Missing is unknown, not evidence: the alert
   * resolves ("no longer exists") only once the subject has been missing for the rule's `clearCycles`.
   */
  missingCycles?: number;
}

export interface ResolvedAlert extends AlertState {
  resolvedAt: number;
}

export type AlertTransitionEvent = { type: 'firing'; alert: AlertState } | { type: 'resolved'; alert: ResolvedAlert };

export interface EvaluationResult {
  next: Map<string, AlertState>;
  transitions: AlertTransitionEvent[];
}

type Verdict = 'breach' | 'clear' | 'band' | 'unknown';

interface Reading {
  verdict: Verdict;
  value: number | null;
  threshold: number | null;
  unit: AlertUnit;
  status: GroupStatus | null;
  /** Message while breaching (given the cycle count), and once it resolves (given how long it fired). */
  firing: (cycles: number) => string;
  resolved: (firedForMs: number, was: AlertState) => string;
}

export function alertKey(ruleId: string, subject: AlertSubject): string {
  return `${ruleId}|${subject.type}:${subject.name}`;
}

/** Compiled patterns, memoised per source string: rules rarely change, cycles are frequent. */
const patternCache = new Map<string, CompiledPattern>();
function pattern(source: string): CompiledPattern {
  let compiled = patternCache.get(source);
  if (!compiled) {
    if (patternCache.size > 1000) patternCache.clear();
    compiled = compilePattern(source);
    patternCache.set(source, compiled);
  }
  return compiled;
}

export function ruleAppliesTo(rule: AlertRule, cluster: string): boolean {
  return rule.enabled && (rule.clusters === undefined || rule.clusters.includes(cluster));
}

export function clearBelowOf(rule: { thresholdSeconds: number; clearBelowSeconds?: number | undefined }): number {
  return rule.clearBelowSeconds ?? rule.thresholdSeconds * 0.8;
}

function readGroupStatus(rule: Extract<AlertRule, { kind: 'group_status' }>, g: GroupInput, pollIntervalMs: number): Reading {
  const known = g.status !== null && g.status !== 'EVALUATING';
  return {
    verdict: !known ? 'unknown' : rule.statuses.includes(g.status!) ? 'breach' : 'clear',
    value: null,
    threshold: rule.forCycles,
    unit: 'cycles',
    status: g.status,
    firing: (cycles) => text.groupStatusFiringMessage(g.id, g.status!, cycles, pollIntervalMs, g.statusReason, g.lagSum),
    resolved: (ms, was) => text.groupStatusResolvedMessage(g.id, g.status, was.status, ms),
  };
}

function readLagSeconds(rule: Extract<AlertRule, { kind: 'lag_seconds' }>, g: GroupInput): Reading {
  const value = g.lagSecondsMax;
  const clearBelow = clearBelowOf(rule);
  const verdict: Verdict = value === null ? 'unknown' : value > rule.thresholdSeconds ? 'breach' : value <= clearBelow ? 'clear' : 'band';
  return {
    verdict,
    value,
    threshold: rule.thresholdSeconds,
    unit: 'seconds',
    status: g.status,
    firing: (cycles) => text.lagFiringMessage(g.id, value ?? 0, rule.thresholdSeconds, cycles, g.lagSum),
    resolved: (ms) => text.lagResolvedMessage(g.id, value, clearBelow, ms),
  };
}

function readTopicIdle(rule: Extract<AlertRule, { kind: 'topic_idle' }>, t: TopicInput): Reading {
  const limitMs = rule.minutes * 60_000;
  return {
    verdict: t.idleMs === null ? 'unknown' : t.idleMs >= limitMs ? 'breach' : 'clear',
    value: t.idleMs === null ? null : Math.round(t.idleMs / 6_000) / 10,
    threshold: rule.minutes,
    unit: 'minutes',
    status: null,
    firing: () => text.idleFiringMessage(t.name, t.idleMs ?? 0, rule.minutes),
    resolved: (ms) => text.idleResolvedMessage(t.name, ms),
  };
}

/** Every (subject, reading) the rule applies to this cycle. */
function* readings(rule: AlertRule, inputs: CycleInputs): Generator<[AlertSubject, Reading]> {
  if (rule.kind === 'topic_idle') {
    const match = pattern(rule.topic);
    for (const t of inputs.topics) {
      if (match.matches(t.name, t.internal || t.name.startsWith('__'))) yield [{ type: 'topic', name: t.name }, readTopicIdle(rule, t)];
    }
    return;
  }
  const match = pattern(rule.group);
  for (const g of inputs.groups) {
    if (!match.matches(g.id)) continue;
    yield [{ type: 'group', name: g.id }, rule.kind === 'group_status' ? readGroupStatus(rule, g, inputs.pollIntervalMs) : readLagSeconds(rule, g)];
  }
}

function resolve(state: AlertState, now: number, message: string, reading?: Reading): ResolvedAlert {
  return { ...state, value: reading ? reading.value ?? state.value : state.value, status: reading?.status ?? state.status, message, resolvedAt: now };
}

export function evaluateAlerts(previous: ReadonlyMap<string, AlertState>, inputs: CycleInputs, now: number): EvaluationResult {
  const next = new Map<string, AlertState>();
  const transitions: AlertTransitionEvent[] = [];
  const rules = inputs.rules.filter((r) => ruleAppliesTo(r, inputs.cluster));
  const evaluated = new Set<string>();

  for (const rule of rules) {
    for (const [subject, reading] of readings(rule, inputs)) {
      const key = alertKey(rule.id, subject);
      const prev = withoutMissing(previous.get(key));
      evaluated.add(key);
      const state = step(prev, rule, subject, key, reading, inputs.cluster, now);
      if (state.kind === 'keep') next.set(key, state.alert);
      if (state.kind === 'fire') {
        next.set(key, state.alert);
        transitions.push({ type: 'firing', alert: state.alert });
      }
      if (state.kind === 'resolve') transitions.push({ type: 'resolved', alert: state.alert });
    }
  }

  // Alerts not evaluated this cycle: the rule was removed, disabled or narrowed, or the subject is missing.
  const groupIds = new Set(inputs.groups.map((g) => g.id));
  const topicNames = new Set(inputs.topics.map((t) => t.name));
  for (const [key, state] of previous) {
    if (evaluated.has(key)) continue;
    const rule = rules.find((r) => r.id === state.ruleId);
    const exists = state.subject.type === 'group' ? groupIds.has(state.subject.name) : topicNames.has(state.subject.name);
    if (rule && !exists) {
      // Missing from this cycle's list: unknown (neither breach nor clear) until it has been gone for clearCycles.
      const missing = (state.missingCycles ?? 0) + 1;
      if (missing < rule.clearCycles) {
        next.set(key, { ...state, missingCycles: missing });
        continue;
      }
      if (state.phase === 'firing') transitions.push({ type: 'resolved', alert: resolve({ ...state, missingCycles: missing }, now, `${state.subject.name} no longer exists`) });
      continue;
    }
    if (state.phase !== 'firing') continue;
    const why = !rule
      ? `the rule "${state.ruleName}" was deleted or disabled; ${state.subject.name} is no longer watched by it`
      : `${state.subject.name} no longer matches the rule "${state.ruleName}"`;
    transitions.push({ type: 'resolved', alert: resolve(state, now, why) });
  }
  return { next, transitions };
}

/** A subject listed again is no longer missing. */
function withoutMissing(state: AlertState | undefined): AlertState | undefined {
  if (!state?.missingCycles) return state;
  const { missingCycles: _gone, ...rest } = state;
  return rest;
}

type Step = { kind: 'keep' | 'fire'; alert: AlertState } | { kind: 'resolve'; alert: ResolvedAlert } | { kind: 'drop' };

function step(prev: AlertState | undefined, rule: AlertRule, subject: AlertSubject, key: string, reading: Reading, cluster: string, now: number): Step {
  const { verdict } = reading;
  const meta = { ruleName: text.ruleDisplayName(rule), severity: rule.severity, value: reading.value, threshold: reading.threshold, unit: reading.unit, status: reading.status };

  if (!prev) {
    if (verdict !== 'breach') return { kind: 'drop' };
    const started: AlertState = {
      key,
      id: '',
      cluster,
      ruleId: rule.id,
      kind: rule.kind,
      subject,
      phase: 'pending',
      breachCycles: 1,
      clearCycles: 0,
      pendingSince: now,
      since: null,
      message: reading.firing(1),
      ...meta,
    };
    return maybeFire(started, rule, now);
  }

  if (prev.phase === 'pending') {
    if (verdict === 'clear' || verdict === 'band') return { kind: 'drop' };
    if (verdict === 'unknown') return { kind: 'keep', alert: prev };
    const cycles = prev.breachCycles + 1;
    return maybeFire({ ...prev, ...meta, breachCycles: cycles, message: reading.firing(cycles) }, rule, now);
  }

  // Firing.
  if (verdict === 'unknown') return { kind: 'keep', alert: prev };
  if (verdict === 'breach') {
    const cycles = prev.breachCycles + 1;
    return { kind: 'keep', alert: { ...prev, ...meta, breachCycles: cycles, clearCycles: 0, message: reading.firing(cycles) } };
  }
  // Not breaching: the value moves, but the status stays the last breaching one (the resolve says "was STOP").
  const moved = { ...prev, value: meta.value, threshold: meta.threshold };
  if (verdict === 'band') return { kind: 'keep', alert: { ...moved, clearCycles: 0 } };
  const clear = prev.clearCycles + 1;
  if (clear < rule.clearCycles) return { kind: 'keep', alert: { ...moved, clearCycles: clear } };
  return { kind: 'resolve', alert: resolve({ ...moved, clearCycles: clear }, now, reading.resolved(now - (prev.since ?? now), prev), reading) };
}

function maybeFire(state: AlertState, rule: AlertRule, now: number): Step {
  if (state.breachCycles < rule.forCycles) return { kind: 'keep', alert: state };
  return { kind: 'fire', alert: { ...state, phase: 'firing', since: now, id: `${state.cluster}/${state.key}/${now}` } };
}
