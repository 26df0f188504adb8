/** ledger-service: consumes `payments` (group `ledger-service`) and books captured amounts. */
import type { PaymentProcessed } from '../lib/fake'
import { main } from '../lib/service'
import { onShutdown } from '../lib/shutdown'
import { GROUP, TOPIC } from '../lib/topics'

main('ledger-service', async (ctx) => {
  let booked = 0
  let rejected = 0
  let balance = 0
  let window = 0

  await ctx.consumer({
    groupId: GROUP.ledger,
    topics: [TOPIC.payments],
    eachMessage: async ({ message }) => {
      window++
      try {
        const payment = JSON.parse(message.value?.toString() ?? '') as PaymentProcessed
        if (payment.status === 'captured') {
          booked++
          balance += payment.amount
        } else {
          rejected++
        }
      } catch {
        rejected++
      }
    },
  })
  const summary = setInterval(() => {
    ctx.log(`${window} payments in the last 30 s; since start ${booked} booked, ${rejected} not captured, captured total ${balance.toFixed(2)} (mixed currencies)`)
    window = 0
  }, 30_000)
  onShutdown('summary', () => clearInterval(summary))
  ctx.ready(GROUP.ledger)
})
