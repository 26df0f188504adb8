/**
 * Boilerplate shared by every demo service process: client id, kafkajs client, logging,
 * graceful shutdown, consumer/producer set-up and the "ready" handshake with the runner.
 */
import { Partitioners } from 'kafkajs'
import type { Consumer, ConsumerConfig, EachMessagePayload, Kafka, Producer } from 'kafkajs'
import { brokersFromEnv, createKafka, podClientId, suppressTimeoutNegativeWarning } from './kafka'
import { num } from './rate'
import { errorMessage, installShutdownHandlers, isShuttingDown, onShutdown, shutdown } from './shutdown'

/** IPC message a service sends to the runner once it is connected (and, for consumers, joined). */
export interface ReadyMessage {
  type: 'ready'
  service: string
  clientId: string
  groupId?: string
  pid: number
}

export function isReadyMessage(msg: unknown): msg is ReadyMessage {
  return typeof msg === 'object' && msg !== null && (msg as { type?: unknown }).type === 'ready'
}

export interface ServiceContext {
  name: string
  clientId: string
  brokers: string[]
  kafka: Kafka
  log: (line: string) => void
  /** announce readiness to the runner (IPC) and on stdout */
  ready: (groupId?: string) => void
  /** a plain producer (idempotence/transactions off), disconnected on shutdown */
  producer: () => Promise<Producer>
  /** connects, subscribes, runs, waits for the group join; disconnected (group left) on shutdown */
  consumer: (opts: ConsumerOptions) => Promise<Consumer>
}

export interface ConsumerOptions {
  groupId: string
  topics: string[]
  eachMessage: (payload: EachMessagePayload) => Promise<void>
  fromBeginning?: boolean
  config?: Partial<ConsumerConfig>
  partitionsConsumedConcurrently?: number
}

export function startService(name: string): ServiceContext {
  suppressTimeoutNegativeWarning()
  const standalone = !process.send
  const log = (line: string): void => {
    // under the runner the line gets a "time service |" prefix; standalone we add our own
    console.log(standalone ? `${new Date().toISOString().slice(11, 19)} ${name} | ${line}` : line)
  }
  installShutdownHandlers({ log })
  process.on('unhandledRejection', (reason) => {
    log(`unhandled rejection: ${errorMessage(reason)}`)
    void shutdown('unhandled rejection', 1, { log })
  })
  process.on('uncaughtException', (err) => {
    log(`uncaught exception: ${err.stack ?? err.message}`)
    void shutdown('uncaught exception', 1, { log })
  })

  const clientId = process.env.CLIENT_ID || podClientId(name)
  const brokers = brokersFromEnv()
  const kafka = createKafka({ clientId, brokers })
  log(`starting clientId=${clientId} brokers=${brokers.join(',')}`)

  const ctx: ServiceContext = {
    name,
    clientId,
    brokers,
    kafka,
    log,
    ready(groupId) {
      const msg: ReadyMessage = { type: 'ready', service: name, clientId, pid: process.pid, ...(groupId ? { groupId } : {}) }
      log(`ready clientId=${clientId}${groupId ? ` group=${groupId}` : ''}`)
      process.send?.(msg)
    },
    async producer() {
      const producer = kafka.producer({
        createPartitioner: Partitioners.DefaultPartitioner,
        allowAutoTopicCreation: false,
        idempotent: false,
      })
      await producer.connect()
      onShutdown('producer', () => producer.disconnect())
      return producer
    },
    async consumer(opts) {
      const consumer = kafka.consumer({
        groupId: opts.groupId,
        allowAutoTopicCreation: false,
        // short session: a SIGKILLed instance is dropped from its group (and its restart can join) within ~10 s
        sessionTimeout: num(process.env.CONSUMER_SESSION_TIMEOUT_MS, 10_000),
        heartbeatInterval: 3_000,
        // short long-polls: an idle consumer notices a stop (and leaves its group) within ~1 s
        maxWaitTimeInMs: 1_000,
        ...opts.config,
      })
      consumer.on(consumer.events.GROUP_JOIN, (event) => {
        const assignment = Object.entries(event.payload.memberAssignment)
          .map(([topic, partitions]) => `${topic}[${partitions.join(',')}]`)
          .join(' ')
        log(`joined group ${event.payload.groupId}${event.payload.isLeader ? ' (leader)' : ''}: ${assignment || 'no partitions'}`)
      })
      consumer.on(consumer.events.CRASH, (event) => {
        log(`consumer crashed: ${errorMessage(event.payload.error)}${event.payload.restart ? ' (kafkajs restarts it)' : ''}`)
        if (!event.payload.restart && !isShuttingDown()) void shutdown('consumer crash', 1, { log })
      })
      await consumer.connect()
      // registered right after connect: on shutdown the consumer stops and leaves the group
      onShutdown('consumer', async () => {
        await consumer.disconnect()
        log(`left group ${opts.groupId}`)
      })
      await consumer.subscribe({ topics: opts.topics, fromBeginning: opts.fromBeginning ?? false })
      await consumer.run({
        autoCommit: true,
        // commit at least every second, so the group's lag as seen by Topolog moves smoothly
        autoCommitInterval: 1_000,
        partitionsConsumedConcurrently: opts.partitionsConsumedConcurrently ?? 1,
        eachMessage: opts.eachMessage,
      })
      return consumer
    },
  }
  return ctx
}

/** Runs `main`, exiting with code 1 (so the runner restarts us) if start-up fails. */
export function main(name: string, body: (ctx: ServiceContext) => Promise<void>): void {
  const ctx = startService(name)
  body(ctx).catch((err: unknown) => {
    ctx.log(`failed to start: ${errorMessage(err)}`)
    void shutdown('start-up failure', 1, { log: ctx.log })
  })
}
