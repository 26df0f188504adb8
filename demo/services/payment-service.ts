/**
 * payment-service: the middle of the order flow. Consumes `orders` (group `payment-service`),
 * "charges" the order (20–60 ms) and publishes `payments` (key = orderId) with its own
 * CloudEvents headers. A plain producer: no idempotence, no transactions.
 */
import { jittered, paymentStatus, shortId, sleep } from '../lib/fake'
import type { OrderCreated, PaymentProcessed } from '../lib/fake'
import { cloudEventHeaders, headerString } from '../lib/headers'
import { main } from '../lib/service'
import { onShutdown } from '../lib/shutdown'
import { GROUP, TOPIC } from '../lib/topics'

main('payment-service', async (ctx) => {
  const producer = await ctx.producer()
  const counts = { captured: 0, declined: 0, failed: 0, skipped: 0 }

  await ctx.consumer({
    groupId: GROUP.payment,
    topics: [TOPIC.orders],
    eachMessage: async ({ message }) => {
      let order: OrderCreated
      try {
        order = JSON.parse(message.value?.toString() ?? '') as OrderCreated
      } catch {
        counts.skipped++
        return
      }
      await sleep(jittered(40, 0.5))
      const payment: PaymentProcessed = {
        paymentId: shortId('pay'),
        orderId: order.orderId,
        status: paymentStatus(),
        amount: order.amount,
      }
      counts[payment.status]++
      const causation = headerString(message.headers, 'ce_id')
      await producer.send({
        topic: TOPIC.payments,
        messages: [
          {
            key: order.orderId,
            value: JSON.stringify(payment),
            headers: cloudEventHeaders('/payment-service', 'com.example.payment.processed', {
              ce_subject: order.orderId,
              ...(causation ? { ce_causationid: causation } : {}),
            }),
          },
        ],
      })
    },
  })
  const summary = setInterval(() => {
    ctx.log(`payments in the last 30 s: ${counts.captured} captured, ${counts.declined} declined, ${counts.failed} failed`)
    counts.captured = counts.declined = counts.failed = 0
  }, 30_000)
  onShutdown('summary', () => clearInterval(summary))
  ctx.ready(GROUP.payment)
})
