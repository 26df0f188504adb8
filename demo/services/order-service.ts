/** order-service: publishes `orders` (key = orderId) at a steady ORDER_RATE msgs/s (default 3) with CloudEvents headers. */
import { fakeOrder } from '../lib/fake'
import { cloudEventHeaders } from '../lib/headers'
import { num, startRateLoop } from '../lib/rate'
import { main } from '../lib/service'
import { onShutdown } from '../lib/shutdown'
import { TOPIC } from '../lib/topics'

main('order-service', async (ctx) => {
  const rate = num(process.env.ORDER_RATE, 3)
  const producer = await ctx.producer()
  let sinceSummary = 0
  const loop = startRateLoop({
    rate,
    emit: async (count) => {
      const messages = Array.from({ length: count }, () => {
        const order = fakeOrder()
        return {
          key: order.orderId,
          value: JSON.stringify(order),
          headers: cloudEventHeaders('/order-service', 'com.example.order.created', { ce_subject: order.orderId }),
        }
      })
      await producer.send({ topic: TOPIC.orders, messages })
      sinceSummary += count
    },
    onError: (err) => ctx.log(`send failed: ${err instanceof Error ? err.message : String(err)}`),
  })
  onShutdown('rate loop', () => loop.stop())
  const summary = setInterval(() => {
    ctx.log(`published ${sinceSummary} orders in the last 30 s (${loop.emitted} total)`)
    sinceSummary = 0
  }, 30_000)
  onShutdown('summary', () => clearInterval(summary))
  ctx.ready()
  ctx.log(`publishing ${TOPIC.orders} at ${rate}/s`)
})
