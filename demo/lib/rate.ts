/**
 * Rate / burst scheduler for the producing services.
 *
 * Every `tickMs` the loop works out how many messages are due at the current rate (carrying the
 * fractional remainder over, so 5/s really averages 5/s) and awaits `emit(count)`. Awaiting means a
 * slow broker slows the producer down instead of piling up sends. Optionally, every ~`everyMs`
 * (± jitter) the rate is multiplied by a random factor for a few seconds: a burst.
 */
export interface BurstConfig {
  /** mean time between burst starts, ms (0 disables bursts) */
  everyMs: number
  /** ± fraction of everyMs applied at random (0.2 = 36–54 s for 45 s) */
  jitter: number
  factorMin: number
  factorMax: number
  durationMinMs: number
  durationMaxMs: number
}

export interface RateLoopOptions {
  /** messages per second outside bursts */
  rate: number
  burst?: BurstConfig | null
  tickMs?: number
  /** produce `count` messages; the loop waits for it */
  emit: (count: number) => Promise<void>
  onBurstStart?: (factor: number, durationMs: number) => void
  onBurstEnd?: () => void
  onError?: (err: unknown) => void
}

export interface RateLoop {
  /** stops scheduling and waits for the emit in flight */
  stop(): Promise<void>
  readonly inBurst: boolean
  readonly emitted: number
}

const rand = (min: number, max: number): number => min + Math.random() * (max - min)

export function burstFromEnv(env: NodeJS.ProcessEnv = process.env): BurstConfig | null {
  const everyMs = num(env.BURST_EVERY_MS, 45_000)
  if (everyMs <= 0) return null
  return {
    everyMs,
    jitter: num(env.BURST_JITTER, 0.2),
    factorMin: num(env.BURST_FACTOR_MIN, 5),
    factorMax: num(env.BURST_FACTOR_MAX, 10),
    durationMinMs: num(env.BURST_MIN_MS, 2_000),
    durationMaxMs: num(env.BURST_MAX_MS, 3_500),
  }
}

export function num(value: string | undefined, fallback: number): number {
  if (value === undefined || value.trim() === '') return fallback
  const n = Number(value)
  return Number.isFinite(n) ? n : fallback
}

export function startRateLoop(opts: RateLoopOptions): RateLoop {
  const tickMs = opts.tickMs ?? 100
  const burst = opts.burst ?? null
  let running = true
  let credit = 0
  let emitted = 0
  let last = performance.now()
  let burstFactor = 1
  let burstEndsAt = 0
  let nextBurstAt = burst ? last + nextBurstDelay(burst) : Number.POSITIVE_INFINITY
  let timer: NodeJS.Timeout | undefined
  let inFlight: Promise<void> = Promise.resolve()

  function nextBurstDelay(b: BurstConfig): number {
    return b.everyMs * (1 + rand(-b.jitter, b.jitter))
  }

  async function tick(): Promise<void> {
    const now = performance.now()
    const dt = Math.min(now - last, 5_000) // after a long stall, do not fire a huge catch-up batch
    last = now
    if (burst) {
      if (burstFactor === 1 && now >= nextBurstAt) {
        burstFactor = rand(burst.factorMin, burst.factorMax)
        const duration = rand(burst.durationMinMs, burst.durationMaxMs)
        burstEndsAt = now + duration
        opts.onBurstStart?.(burstFactor, duration)
      } else if (burstFactor !== 1 && now >= burstEndsAt) {
        burstFactor = 1
        nextBurstAt = now + nextBurstDelay(burst)
        opts.onBurstEnd?.()
      }
    }
    credit += (opts.rate * burstFactor * dt) / 1000
    const count = Math.floor(credit)
    if (count > 0) {
      credit -= count
      try {
        await opts.emit(count)
        emitted += count
      } catch (err) {
        opts.onError?.(err)
      }
    }
  }

  function schedule(): void {
    if (!running) return
    timer = setTimeout(() => {
      inFlight = tick().finally(schedule)
    }, tickMs)
  }
  schedule()

  return {
    async stop() {
      running = false
      if (timer) clearTimeout(timer)
      await inFlight.catch(() => undefined)
    },
    get inBurst() {
      return burstFactor !== 1
    },
    get emitted() {
      return emitted
    },
  }
}
