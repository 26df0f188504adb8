/** analytics-service: consumes `user.registered` (group `analytics-service`) quickly and keeps counters. */
import { main } from '../lib/service'
import { onShutdown } from '../lib/shutdown'
import { GROUP, TOPIC } from '../lib/topics'

main('analytics-service', async (ctx) => {
  let total = 0
  let window = 0
  let malformed = 0
  const byDomain = new Map<string, number>()
  const byPartition = new Map<number, number>()

  await ctx.consumer({
    groupId: GROUP.analytics,
    topics: [TOPIC.userRegistered],
    partitionsConsumedConcurrently: 3,
    eachMessage: async ({ partition, message }) => {
      total++
      window++
      byPartition.set(partition, (byPartition.get(partition) ?? 0) + 1)
      try {
        const user = JSON.parse(message.value?.toString() ?? '') as { email?: unknown }
        const domain = typeof user.email === 'string' ? (user.email.split('@')[1] ?? '?') : '?'
        byDomain.set(domain, (byDomain.get(domain) ?? 0) + 1)
      } catch {
        malformed++
      }
    },
  })
  const everyMs = 30_000
  const summary = setInterval(() => {
    const top = [...byDomain.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, 3)
      .map(([d, n]) => `${d}=${n}`)
      .join(' ')
    const parts = [...byPartition.entries()]
      .sort((a, b) => a[0] - b[0])
      .map(([p, n]) => `p${p}=${n}`)
      .join(' ')
    ctx.log(
      `signups: ${window} in the last ${everyMs / 1000} s (${(window / (everyMs / 1000)).toFixed(1)}/s), ${total} total; ` +
        `top domains ${top || '-'}; partitions ${parts || '-'}${malformed ? `; ${malformed} malformed` : ''}`,
    )
    window = 0
  }, everyMs)
  onShutdown('summary', () => clearInterval(summary))
  ctx.ready(GROUP.analytics)
})
