/**
 * signup-service: publishes `user.registered` (key = userId) with binary-mode CloudEvents headers.
 * Steady SIGNUP_RATE msgs/s (default 5) plus a burst of 5–10× for 2–3.5 s every ~45 s
 * (BURST_EVERY_MS=0 disables bursts).
 */
import { fakeUser } from '../lib/fake'
import { cloudEventHeaders } from '../lib/headers'
import { burstFromEnv, num, startRateLoop } from '../lib/rate'
import { main } from '../lib/service'
import { onShutdown } from '../lib/shutdown'
import { TOPIC } from '../lib/topics'

main('signup-service', async (ctx) => {
  const rate = num(process.env.SIGNUP_RATE, 5)
  const producer = await ctx.producer()
  let sinceSummary = 0
  const loop = startRateLoop({
    rate,
    burst: burstFromEnv(),
    emit: async (count) => {
      const messages = Array.from({ length: count }, () => {
        const user = fakeUser()
        return {
          key: user.userId,
          value: JSON.stringify(user),
          headers: cloudEventHeaders('/signup-service', 'com.example.user.registered', { ce_subject: user.userId }),
        }
      })
      await producer.send({ topic: TOPIC.userRegistered, messages })
      sinceSummary += count
    },
    onBurstStart: (factor, ms) =>
      ctx.log(`burst: ${factor.toFixed(1)}x for ${(ms / 1000).toFixed(1)} s (~${Math.round(rate * factor)} signups/s)`),
    onBurstEnd: () => ctx.log(`burst over, back to ${rate}/s`),
    onError: (err) => ctx.log(`send failed: ${err instanceof Error ? err.message : String(err)}`),
  })
  onShutdown('rate loop', () => loop.stop()) // runs before the producer disconnects
  const summaryEvery = 30_000
  const summary = setInterval(() => {
    ctx.log(`published ${sinceSummary} user.registered in the last ${summaryEvery / 1000} s (${loop.emitted} total)`)
    sinceSummary = 0
  }, summaryEvery)
  onShutdown('summary', () => clearInterval(summary))
  ctx.ready()
  ctx.log(`publishing ${TOPIC.userRegistered} at ${rate}/s`)
})
