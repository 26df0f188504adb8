/**
 * Graceful shutdown for a demo service process.
 *
 * Registered cleanups run in reverse registration order (stop producing first, then disconnect
 * consumers so their group is left cleanly, then producers). Triggered by SIGINT, SIGTERM,
 * a `{ type: 'shutdown' }` IPC message, or the IPC channel closing (the runner died).
 * Further requests while shutting down are ignored; SHUTDOWN_TIMEOUT_MS (default 10 s) forces the exit.
 */
type Cleanup = () => unknown | Promise<unknown>

const cleanups: { name: string; fn: Cleanup }[] = []
let shuttingDown = false
let installed = false
let exitHandlers: ((reason: string) => void)[] = []

export function isShuttingDown(): boolean {
  return shuttingDown
}

export function onShutdown(name: string, fn: Cleanup): void {
  cleanups.push({ name, fn })
}

/** Called once, when the shutdown starts (before the cleanups run). */
export function onShutdownStart(fn: (reason: string) => void): void {
  exitHandlers.push(fn)
}

export interface ShutdownOptions {
  timeoutMs?: number
  log?: (line: string) => void
}

export async function shutdown(reason: string, code = 0, opts: ShutdownOptions = {}): Promise<never> {
  const log = opts.log ?? ((line: string) => console.log(line))
  if (shuttingDown) {
    // Already on our way out (e.g. SIGINT from the terminal and SIGTERM from the runner):
    // let the graceful path finish; the timeout below (or the runner's SIGKILL) is the backstop.
    return new Promise<never>(() => undefined)
  }
  shuttingDown = true
  for (const handler of exitHandlers) handler(reason)
  exitHandlers = []
  log(`shutting down (${reason})`)
  const timeoutMs = opts.timeoutMs ?? Number(process.env.SHUTDOWN_TIMEOUT_MS ?? 10_000)
  const timer = setTimeout(() => {
    log(`shutdown took longer than ${timeoutMs} ms, forcing exit`)
    process.exit(code === 0 ? 1 : code)
  }, timeoutMs)
  timer.unref()
  for (const { name, fn } of [...cleanups].reverse()) {
    try {
      await fn()
    } catch (err) {
      log(`cleanup "${name}" failed: ${errorMessage(err)}`)
    }
  }
  clearTimeout(timer)
  log('stopped')
  process.exit(code)
}

export function installShutdownHandlers(opts: ShutdownOptions = {}): void {
  if (installed) return
  installed = true
  process.on('SIGINT', () => void shutdown('SIGINT', 0, opts))
  process.on('SIGTERM', () => void shutdown('SIGTERM', 0, opts))
  if (process.send) {
    process.on('message', (msg: unknown) => {
      if (typeof msg === 'object' && msg !== null && (msg as { type?: unknown }).type === 'shutdown') {
        void shutdown('shutdown requested by runner', 0, opts)
      }
    })
    // The runner went away without telling us (e.g. SIGKILL): do not linger as an orphan.
    process.on('disconnect', () => {
      if (!shuttingDown) void shutdown('runner disconnected', 0, opts)
    })
    // ...or went away before we got here
    if (!process.connected) void shutdown('runner disconnected', 0, opts)
  }
}

export function errorMessage(err: unknown): string {
  if (err instanceof Error) return err.message
  return String(err)
}
