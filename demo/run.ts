/**
 * Demo scenario runner (CLI):  npm run demo:services -- [options]
 *                       or:  node --import tsx demo/run.ts [options]
 *
 * Creates the demo topics, then runs each demo service as its own Node process with its own
 * kafkajs client, prefixing their output with the service name. Ctrl-C / SIGTERM stops them
 * gracefully (consumers leave their groups); a second Ctrl-C kills them. Crashed services are
 * restarted after a short delay. See --help.
 *
 * The programmatic API lives in ./scenario and is re-exported here.
 */
import { pathToFileURL } from 'node:url'
import { parseArgs } from 'node:util'
import { DEMO_SERVICE_NAMES, startDemo } from './scenario'
import type { DemoHandle, StartDemoOptions } from './scenario'

export * from './scenario'

const HELP = `Usage: node --import tsx demo/run.ts [options]

Runs the Topolog demo microservices against a Kafka broker:
  signup-service -> user.registered -> email-service (-> email.dlq), analytics-service
  order-service  -> orders -> payment-service -> payments -> ledger-service

Options:
  --brokers <list>     bootstrap brokers, comma separated (env KAFKA_BROKERS; default 127.0.0.1:9092)
  --rate <n>           base signup rate in msgs/s (env DEMO_RATE; default 5); orders run at 0.6x
  --order-rate <n>     order rate in msgs/s (env ORDER_RATE; default 0.6 x rate)
  --email-delay <ms>   email-service processing time per message (env EMAIL_DELAY_MS; default 600/rate)
  --no-bursts          no signup bursts (default: 5-10x for 2-3.5 s every ~45 s; env BURST_EVERY_MS=0)
  --only <names>       start only these services, comma separated
  --once               do not restart crashed services; exit when all of them have exited
  --duration <s>       stop gracefully after this many seconds
  --help               this text

Services: ${DEMO_SERVICE_NAMES.join(', ')}
More knobs for the services (env): EMAIL_FAILURE_RATE (0.03), BURST_EVERY_MS, BURST_FACTOR_MIN/MAX,
BURST_MIN_MS/BURST_MAX_MS, KAFKAJS_LOG_LEVEL (warn), SHUTDOWN_TIMEOUT_MS (10000).
`

function positiveNumber(flag: string, value: string | undefined): number | undefined {
  if (value === undefined || value === '') return undefined
  const n = Number(value)
  if (!Number.isFinite(n) || n <= 0) throw new Error(`${flag} must be a positive number, got "${value}"`)
  return n
}

export function parseCli(argv: string[]): { options: StartDemoOptions; durationS?: number; help: boolean } {
  const { values } = parseArgs({
    args: argv,
    options: {
      brokers: { type: 'string' },
      rate: { type: 'string' },
      'order-rate': { type: 'string' },
      'email-delay': { type: 'string' },
      'no-bursts': { type: 'boolean', default: false },
      only: { type: 'string' },
      once: { type: 'boolean', default: false },
      duration: { type: 'string' },
      help: { type: 'boolean', short: 'h', default: false },
    },
    strict: true,
    allowPositionals: false,
  })
  const env: Record<string, string> = {}
  const emailDelay = positiveNumber('--email-delay', values['email-delay'] ?? process.env.EMAIL_DELAY_MS)
  if (emailDelay !== undefined) env.EMAIL_DELAY_MS = String(emailDelay)
  if (values['no-bursts']) env.BURST_EVERY_MS = '0'
  const rate = positiveNumber('--rate', values.rate ?? process.env.DEMO_RATE)
  const orderRate = positiveNumber('--order-rate', values['order-rate'] ?? process.env.ORDER_RATE)
  const options: StartDemoOptions = {
    brokers: values.brokers ?? process.env.KAFKA_BROKERS,
    only: values.only ? values.only.split(',') : undefined,
    restart: !values.once,
    brokerTimeoutMs: 5 * 60_000, // be patient on the command line: the broker may still be starting
    env,
    ...(rate !== undefined ? { rate } : {}),
    ...(orderRate !== undefined ? { orderRate } : {}),
  }
  const durationS = positiveNumber('--duration', values.duration)
  return { options, help: values.help, ...(durationS !== undefined ? { durationS } : {}) }
}

async function cli(): Promise<void> {
  let parsed: ReturnType<typeof parseCli>
  try {
    parsed = parseCli(process.argv.slice(2))
  } catch (err) {
    console.error(`${err instanceof Error ? err.message : String(err)}\n\n${HELP}`)
    process.exit(2)
  }
  if (parsed.help) {
    console.log(HELP)
    return
  }

  const aborter = new AbortController()
  let demo: DemoHandle | undefined
  let signals = 0
  const onSignal = (sig: NodeJS.Signals): void => {
    signals++
    if (signals > 1) {
      console.log(`\n${sig} again: killing the services`)
      demo?.kill()
      process.exit(130)
    }
    console.log(`\n${sig}: stopping the demo (press Ctrl-C again to kill)`)
    if (!demo) {
      aborter.abort()
      return
    }
    void demo.stop().then(() => process.exit(0))
  }
  process.on('SIGINT', onSignal)
  process.on('SIGTERM', onSignal)

  try {
    demo = await startDemo({ ...parsed.options, signal: aborter.signal })
  } catch (err) {
    if (err instanceof Error && err.name === 'AbortError') process.exit(0)
    console.error(`demo failed to start: ${err instanceof Error ? err.message : String(err)}`)
    process.exit(1)
  }
  if (parsed.durationS !== undefined) {
    const ms = parsed.durationS * 1000
    console.log(`running for ${parsed.durationS} s`)
    setTimeout(() => void demo?.stop().then(() => process.exit(0)), ms).unref()
  }
  await demo.exited
  process.exit(0)
}

const invokedDirectly = process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href
if (invokedDirectly) void cli()
