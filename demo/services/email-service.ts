/**
 * email-service: consumes `user.registered` (group `email-service`) and "sends" a welcome e-mail.
 *
 * Deliberately slow: each e-mail takes EMAIL_DELAY_MS (± 30 %). The default is 600 / SIGNUP_RATE ms
 * (120 ms at 5 signups/s), i.e. the service is ~60 % busy at the steady signup rate. The bursts of
 * signup-service push it far over capacity, so the group's lag climbs to roughly a hundred messages
 * during a burst and drains over the following ~30 s. Partitions are processed one at a time.
 *
 * About EMAIL_FAILURE_RATE (default 3 %) of the messages fail and go to `email.dlq` with the original
 * key, value and headers plus Spring-Kafka-style `kafka_dlt-*` headers (written as UTF-8 strings,
 * unlike Spring, which writes partition/offset/timestamp as big-endian int/long bytes).
 */
import type { IHeaders } from 'kafkajs'
import { jittered, pick, sleep } from '../lib/fake'
import { copyHeaders, headerString } from '../lib/headers'
import { num } from '../lib/rate'
import { main } from '../lib/service'
import { onShutdown } from '../lib/shutdown'
import { GROUP, TOPIC } from '../lib/topics'

const FAILURES = [
  { fqcn: 'com.example.email.SmtpDeliveryException', message: '550 5.1.1 mailbox unavailable' },
  { fqcn: 'com.example.email.SmtpDeliveryException', message: '421 4.7.0 try again later: rate limited by relay' },
  { fqcn: 'com.example.email.TemplateRenderingException', message: "template 'welcome-v3' failed: variable 'firstName' is undefined" },
  { fqcn: 'java.net.SocketTimeoutException', message: 'connect timed out: smtp-relay.internal:587' },
  { fqcn: 'com.example.email.InvalidRecipientException', message: 'recipient address rejected by policy' },
] as const

main('email-service', async (ctx) => {
  const signupRate = num(process.env.SIGNUP_RATE, 5)
  const delayMs = num(process.env.EMAIL_DELAY_MS, Math.round(600 / Math.max(signupRate, 0.1)))
  const failureRate = num(process.env.EMAIL_FAILURE_RATE, 0.03)
  let sent = 0
  let failed = 0

  const dlq = await ctx.producer()
  await ctx.consumer({
    groupId: GROUP.email,
    topics: [TOPIC.userRegistered],
    eachMessage: async ({ topic, partition, message }) => {
      await sleep(jittered(delayMs))
      if (Math.random() >= failureRate) {
        sent++
        return
      }
      const failure = pick(FAILURES)
      const headers: IHeaders = {
        ...copyHeaders(message.headers), // ce_* and content-type of the original event kept
        'kafka_dlt-original-topic': topic,
        'kafka_dlt-original-partition': String(partition),
        'kafka_dlt-original-offset': message.offset,
        'kafka_dlt-original-timestamp': message.timestamp,
        'kafka_dlt-original-timestamp-type': 'CreateTime',
        'kafka_dlt-original-consumer-group': GROUP.email,
        'kafka_dlt-exception-fqcn': failure.fqcn,
        'kafka_dlt-exception-message': failure.message,
      }
      await dlq.send({ topic: TOPIC.emailDlq, messages: [{ key: message.key, value: message.value, headers }] })
      failed++
      const ceId = headerString(message.headers, 'ce_id') ?? '?'
      ctx.log(`e-mail for ${message.key?.toString() ?? '?'} failed (${failure.message}) -> ${TOPIC.emailDlq} [ce_id ${ceId}]`)
    },
  })
  const summary = setInterval(() => {
    ctx.log(`sent ${sent} e-mails, ${failed} to ${TOPIC.emailDlq} in the last 30 s`)
    sent = 0
    failed = 0
  }, 30_000)
  onShutdown('summary', () => clearInterval(summary))
  ctx.ready(GROUP.email)
  ctx.log(`processing ${TOPIC.userRegistered} at ~${delayMs} ms per e-mail (~${(1000 / delayMs).toFixed(1)}/s), failure rate ${failureRate}`)
})
