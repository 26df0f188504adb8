/**
 * The demo scenario: creates the demo topics and runs every demo service as its own Node child
 * process (`node --import tsx demo/services/<name>.ts`), each with its own kafkajs client.
 *
 * Programmatic API (used by the CLI in demo/run.ts and by the tests):
 *
 *   const demo = await startDemo({ brokers: '127.0.0.1:9092', only: ['signup-service', 'email-service'] })
 *   ...
 *   await demo.stop()   // consumers leave their groups, producers disconnect, children exit
 */
import { spawn } from 'node:child_process'
import type { ChildProcess } from 'node:child_process'
import { createInterface } from 'node:readline'
import { fileURLToPath } from 'node:url'
import { Kafka, logLevel } from 'kafkajs'
import type { Admin } from 'kafkajs'
import { parseBrokers, podTemplateHash, suppressTimeoutNegativeWarning } from './lib/kafka'
import { isReadyMessage } from './lib/service'
import { DEMO_GROUPS, DEMO_TOPIC_NAMES, DEMO_TOPICS, GROUP, TOPIC } from './lib/topics'

export { DEMO_GROUPS, DEMO_TOPIC_NAMES, DEMO_TOPICS, TOPIC, GROUP }
export type { DemoTopic } from './lib/topics'

export interface DemoService {
  name: string
  /** consumer group (= service name) if the service consumes */
  groupId?: string
  consumes: string[]
  produces: string[]
}

export const DEMO_SERVICES: readonly DemoService[] = [
  { name: 'signup-service', consumes: [], produces: [TOPIC.userRegistered] },
  { name: 'email-service', groupId: GROUP.email, consumes: [TOPIC.userRegistered], produces: [TOPIC.emailDlq] },
  { name: 'analytics-service', groupId: GROUP.analytics, consumes: [TOPIC.userRegistered], produces: [] },
  { name: 'order-service', consumes: [], produces: [TOPIC.orders] },
  { name: 'payment-service', groupId: GROUP.payment, consumes: [TOPIC.orders], produces: [TOPIC.payments] },
  { name: 'ledger-service', groupId: GROUP.ledger, consumes: [TOPIC.payments], produces: [] },
]

export const DEMO_SERVICE_NAMES: readonly string[] = DEMO_SERVICES.map((s) => s.name)

export interface StartDemoOptions {
  /** `host:port,host:port` or a list; default KAFKA_BROKERS or 127.0.0.1:9092 */
  brokers?: string | string[]
  /** start only these services (names from DEMO_SERVICE_NAMES) */
  only?: readonly string[]
  /** receives every output line (runner lines and prefixed service lines); default console.log */
  log?: (line: string) => void
  /** base signup rate, msgs/s (default 5) */
  rate?: number
  /** order rate, msgs/s (default 0.6 × rate, i.e. 3) */
  orderRate?: number
  /** extra environment for the service processes (EMAIL_DELAY_MS, EMAIL_FAILURE_RATE, BURST_EVERY_MS, …) */
  env?: Record<string, string>
  /** restart crashed services (default true) */
  restart?: boolean
  /** delay before the first restart of a crashed service, doubled while it keeps crashing (default 2000) */
  restartDelayMs?: number
  /** how long to wait for the broker to answer (default 60 s) */
  brokerTimeoutMs?: number
  /** how long to wait for all services to report ready (default 60 s) */
  readyTimeoutMs?: number
  /** how long stop() waits for a service before SIGKILL (default 15 s) */
  stopTimeoutMs?: number
  /** aborting stops the start-up (and the services already spawned) */
  signal?: AbortSignal
}

export interface DemoHandle {
  /** gracefully stops all services (SIGTERM, then SIGKILL after stopTimeoutMs); idempotent */
  stop(): Promise<void>
  /** SIGKILLs all services at once (the "second Ctrl-C" path) */
  kill(): void
  /** names of the services started */
  readonly services: readonly string[]
  /** current kafkajs client id of each running, ready service (changes when a service is restarted) */
  clientIds(): Record<string, string>
  /** process id of each running service (e.g. to SIGKILL one and watch the runner restart it) */
  pids(): Record<string, number>
  /** resolves when every service has exited for good (after stop(), or with restart: false when all died) */
  readonly exited: Promise<void>
}

const DEMO_DIR = fileURLToPath(new URL('.', import.meta.url))
const REPO_ROOT = fileURLToPath(new URL('..', import.meta.url))

const COLORS = [36, 35, 33, 32, 34, 91, 96, 95] as const

export function resolveServiceNames(only: readonly string[] | undefined): string[] {
  if (!only || only.length === 0) return [...DEMO_SERVICE_NAMES]
  const wanted = only.map((s) => s.trim()).filter((s) => s.length > 0)
  const unknown = wanted.filter((s) => !DEMO_SERVICE_NAMES.includes(s))
  if (unknown.length > 0) {
    throw new Error(`unknown demo service(s): ${unknown.join(', ')} (known: ${DEMO_SERVICE_NAMES.join(', ')})`)
  }
  return DEMO_SERVICE_NAMES.filter((s) => wanted.includes(s))
}

function clock(): string {
  return new Date().toISOString().slice(11, 19)
}

function abortError(): Error {
  const err = new Error('demo start-up aborted')
  err.name = 'AbortError'
  return err
}

function describeError(err: unknown): string {
  if (err instanceof Error) {
    const cause = (err as { cause?: unknown }).cause
    return cause instanceof Error && cause.message !== err.message ? `${err.message}: ${cause.message}` : err.message
  }
  return String(err)
}

const delay = (ms: number, signal?: AbortSignal): Promise<void> =>
  new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(abortError())
    const t = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort)
      resolve()
    }, ms)
    const onAbort = (): void => {
      clearTimeout(t)
      reject(abortError())
    }
    signal?.addEventListener('abort', onAbort, { once: true })
  })

/**
 * Connects an admin client, retrying with backoff until the broker answers or `timeoutMs` passes.
 * The returned admin is connected; the caller disconnects it.
 */
export async function waitForBroker(
  brokers: string[],
  opts: { timeoutMs?: number; log?: (line: string) => void; signal?: AbortSignal } = {},
): Promise<Admin> {
  const log = opts.log ?? ((line: string) => console.log(line))
  const timeoutMs = opts.timeoutMs ?? 60_000
  const started = Date.now()
  let backoff = 500
  let attempt = 0
  let lastReport = 0
  for (;;) {
    attempt++
    const kafka = new Kafka({
      clientId: 'topolog-demo-runner',
      brokers,
      logLevel: logLevel.NOTHING, // we report connection problems ourselves
      connectionTimeout: 2_000,
      retry: { retries: 0 },
    })
    const admin = kafka.admin()
    try {
      await admin.connect()
      const cluster = await admin.describeCluster()
      log(`Kafka is up at ${brokers.join(',')} (cluster ${cluster.clusterId}, ${cluster.brokers.length} broker(s))`)
      return admin
    } catch (err) {
      await admin.disconnect().catch(() => undefined)
      const waited = Date.now() - started
      if (waited >= timeoutMs) {
        throw new Error(
          `Kafka at ${brokers.join(',')} did not answer within ${Math.round(timeoutMs / 1000)} s (${describeError(err)}). ` +
            'Start a local broker with `npm run kafka:start` or point --brokers / KAFKA_BROKERS at one.',
        )
      }
      if (attempt === 1 || Date.now() - lastReport >= 10_000) {
        lastReport = Date.now()
        log(
          `waiting for Kafka at ${brokers.join(',')}: ${describeError(err)} ` +
            `(attempt ${attempt}, ${Math.round(waited / 1000)} s of ${Math.round(timeoutMs / 1000)} s; start one with \`npm run kafka:start\`)`,
        )
      }
      await delay(backoff, opts.signal)
      backoff = Math.min(backoff * 2, 5_000)
    }
  }
}

/** Creates the missing demo topics (idempotent) and warns about existing ones with fewer partitions. */
export async function ensureDemoTopics(admin: Admin, log: (line: string) => void = (l) => console.log(l)): Promise<void> {
  const existing = new Set(await admin.listTopics())
  const missing = DEMO_TOPICS.filter((t) => !existing.has(t.topic))
  if (missing.length > 0) {
    try {
      await admin.createTopics({ topics: missing.map((t) => ({ ...t })), waitForLeaders: true })
    } catch (err) {
      // someone else (another runner, a test) created them in the meantime: fine
      if (!/already exists/i.test(describeError(err))) throw err
    }
    log(`created topics ${missing.map((t) => `${t.topic}(${t.numPartitions})`).join(', ')}`)
  }
  const present = DEMO_TOPICS.filter((t) => existing.has(t.topic))
  if (present.length > 0) {
    const meta = await admin.fetchTopicMetadata({ topics: present.map((t) => t.topic) })
    for (const t of present) {
      const found = meta.topics.find((m) => m.name === t.topic)
      const n = found?.partitions.length ?? 0
      if (n < t.numPartitions) log(`warning: topic ${t.topic} exists with ${n} partition(s), the demo expects ${t.numPartitions}`)
    }
    log(`topics already present: ${present.map((t) => t.topic).join(', ')}`)
  }
}

interface Proc {
  name: string
  file: string
  color: number
  templateHash: string
  child?: ChildProcess
  clientId?: string
  startedAt: number
  restarts: number
  nextDelayMs: number
  restartTimer?: NodeJS.Timeout
  readyWaiters: { resolve: () => void; reject: (err: Error) => void }[]
  ready: boolean
  /** set once the child has exited and will not be restarted */
  done: boolean
}

export async function startDemo(options: StartDemoOptions = {}): Promise<DemoHandle> {
  suppressTimeoutNegativeWarning()
  const brokers = Array.isArray(options.brokers)
    ? options.brokers.flatMap((b) => parseBrokers(b))
    : parseBrokers(options.brokers ?? process.env.KAFKA_BROKERS)
  const names = resolveServiceNames(options.only)
  const userLog = options.log
  const color = !userLog && Boolean(process.stdout.isTTY) && !process.env.NO_COLOR
  const emit = userLog ?? ((line: string) => console.log(line))
  const width = Math.max(...names.map((n) => n.length), 'demo'.length)
  const prefix = (name: string, c: number): string =>
    color ? `\x1b[2m${clock()}\x1b[0m \x1b[${c}m${name.padEnd(width)}\x1b[0m │ ` : `${clock()} ${name.padEnd(width)} | `
  const log = (line: string): void => emit(prefix('demo', 37) + line)

  const restart = options.restart ?? true
  const baseRestartDelay = options.restartDelayMs ?? 2_000
  const stopTimeoutMs = options.stopTimeoutMs ?? 15_000
  const rate = options.rate ?? 5
  const orderRate = options.orderRate ?? Math.round(rate * 0.6 * 100) / 100
  const signal = options.signal

  // 1. broker + topics
  const admin = await waitForBroker(brokers, { timeoutMs: options.brokerTimeoutMs ?? 60_000, log, signal })
  try {
    await ensureDemoTopics(admin, log)
  } finally {
    await admin.disconnect().catch(() => undefined)
  }

  // 2. services
  const childEnv: Record<string, string> = {
    KAFKA_BROKERS: brokers.join(','),
    SIGNUP_RATE: String(rate),
    ORDER_RATE: String(orderRate),
    ...options.env,
  }
  let stopping = false
  const procs = new Map<string, Proc>()
  let resolveExited!: () => void
  const exited = new Promise<void>((resolve) => {
    resolveExited = resolve
  })
  const checkAllDone = (): void => {
    if ([...procs.values()].every((p) => p.done)) resolveExited()
  }

  names.forEach((name, i) => {
    procs.set(name, {
      name,
      file: `${DEMO_DIR}services/${name}.ts`,
      color: COLORS[i % COLORS.length] ?? 36,
      templateHash: podTemplateHash(),
      startedAt: 0,
      restarts: 0,
      nextDelayMs: baseRestartDelay,
      readyWaiters: [],
      ready: false,
      done: false,
    })
  })

  const spawnProc = (p: Proc): void => {
    p.ready = false
    p.startedAt = Date.now()
    const child = spawn(
      process.execPath,
      ['--disable-warning=TimeoutNegativeWarning', '--enable-source-maps', '--import', 'tsx', p.file],
      {
        cwd: REPO_ROOT,
        env: { ...process.env, ...childEnv, POD_TEMPLATE_HASH: p.templateHash, CLIENT_ID: '' },
        // own process group: a terminal Ctrl-C reaches only the runner, which stops the services in order
        detached: true,
        stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
      },
    )
    p.child = child
    const out = (line: string): void => emit(prefix(p.name, p.color) + line)
    if (child.stdout) createInterface({ input: child.stdout }).on('line', out)
    if (child.stderr) createInterface({ input: child.stderr }).on('line', out)
    child.on('message', (msg: unknown) => {
      if (!isReadyMessage(msg)) return
      p.clientId = msg.clientId
      p.ready = true
      for (const w of p.readyWaiters.splice(0)) w.resolve()
    })
    child.on('error', (err) => out(`failed to spawn: ${err.message}`))
    child.on('exit', (code, sig) => {
      if (p.child === child) p.child = undefined
      const how = sig ? `signal ${sig}` : `code ${code ?? '?'}`
      if (stopping) {
        p.done = true // stop() resolves `exited` once every service is down
        return
      }
      if (!restart) {
        log(`${p.name} exited (${how}); not restarting`)
        p.done = true
        for (const w of p.readyWaiters.splice(0)) w.reject(new Error(`${p.name} exited (${how}) before it was ready`))
        checkAllDone()
        return
      }
      const ranMs = Date.now() - p.startedAt
      p.nextDelayMs = ranMs > 30_000 ? baseRestartDelay : p.restarts === 0 ? baseRestartDelay : Math.min(p.nextDelayMs * 2, 30_000)
      p.restarts++
      log(`${p.name} exited (${how}) after ${(ranMs / 1000).toFixed(1)} s; restarting in ${(p.nextDelayMs / 1000).toFixed(1)} s (restart #${p.restarts})`)
      p.restartTimer = setTimeout(() => {
        p.restartTimer = undefined
        if (!stopping) spawnProc(p)
      }, p.nextDelayMs)
    })
  }

  const waitReady = (p: Proc): Promise<void> =>
    p.ready ? Promise.resolve() : new Promise<void>((resolve, reject) => p.readyWaiters.push({ resolve, reject }))

  const stopProc = (p: Proc): Promise<void> => {
    if (p.restartTimer) {
      clearTimeout(p.restartTimer)
      p.restartTimer = undefined
    }
    const child = p.child
    if (!child || child.exitCode !== null || child.signalCode !== null) {
      p.done = true
      return Promise.resolve()
    }
    return new Promise<void>((resolve) => {
      const killTimer = setTimeout(() => {
        log(`${p.name} did not stop within ${stopTimeoutMs / 1000} s, killing it`)
        child.kill('SIGKILL')
      }, stopTimeoutMs)
      child.once('exit', () => {
        clearTimeout(killTimer)
        resolve()
      })
      child.kill('SIGTERM')
    })
  }

  let stopPromise: Promise<void> | undefined
  const stop = (): Promise<void> => {
    if (!stopPromise) {
      stopping = true
      for (const p of procs.values()) {
        for (const w of p.readyWaiters.splice(0)) w.reject(new Error('demo stopped'))
      }
      const live = [...procs.values()].filter((p) => p.child)
      if (live.length > 0) log(`stopping ${live.map((p) => p.name).join(', ')}`)
      stopPromise = Promise.all([...procs.values()].map(stopProc)).then(() => {
        for (const p of procs.values()) p.done = true
        resolveExited()
        log('all services stopped')
      })
    }
    return stopPromise
  }
  const kill = (): void => {
    stopping = true
    for (const p of procs.values()) {
      if (p.restartTimer) clearTimeout(p.restartTimer)
      p.child?.kill('SIGKILL')
    }
  }

  // Consumers first, so their groups exist (and start at the log end) before the producers publish.
  const all = [...procs.values()]
  const consumers = all.filter((p) => DEMO_SERVICES.find((s) => s.name === p.name)?.groupId)
  const producers = all.filter((p) => !consumers.includes(p))
  const readyTimeoutMs = options.readyTimeoutMs ?? 60_000
  const deadline = Date.now() + readyTimeoutMs

  const startPhase = async (phase: Proc[]): Promise<void> => {
    if (phase.length === 0) return
    log(`starting ${phase.map((p) => p.name).join(', ')}`)
    for (const p of phase) spawnProc(p)
    let timer: NodeJS.Timeout | undefined
    let onAbort: (() => void) | undefined
    try {
      await Promise.race([
        Promise.all(phase.map(waitReady)),
        new Promise<never>((_, reject) => {
          timer = setTimeout(() => {
            const pending = phase.filter((p) => !p.ready).map((p) => p.name)
            reject(new Error(`demo services not ready after ${Math.round(readyTimeoutMs / 1000)} s: ${pending.join(', ')}`))
          }, Math.max(deadline - Date.now(), 0))
        }),
        new Promise<never>((_, reject) => {
          if (signal?.aborted) return reject(abortError())
          onAbort = () => reject(abortError())
          signal?.addEventListener('abort', onAbort, { once: true })
        }),
      ])
    } finally {
      if (timer) clearTimeout(timer)
      if (onAbort) signal?.removeEventListener('abort', onAbort)
    }
  }

  try {
    await startPhase(consumers)
    await startPhase(producers)
  } catch (err) {
    await stop()
    throw err
  }
  log(names.length === 1 ? 'the service is ready' : `all ${names.length} services are ready`)

  return {
    stop,
    kill,
    services: names,
    clientIds() {
      const ids: Record<string, string> = {}
      for (const p of procs.values()) if (p.clientId && p.child && p.ready) ids[p.name] = p.clientId
      return ids
    },
    pids() {
      const pids: Record<string, number> = {}
      for (const p of procs.values()) if (p.child?.pid !== undefined) pids[p.name] = p.child.pid
      return pids
    },
    exited,
  }
}
