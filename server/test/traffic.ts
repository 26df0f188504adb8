import type { Producer } from 'kafkajs';
import { testKafka } from './kafka-fixtures';

/** A steady kafkajs producer: `perSecond` messages a second until stopped. */
export async function startTraffic(topic: string, perSecond: number): Promise<() => Promise<void>> {
  const producer: Producer = testKafka('traffic-producer').producer();
  await producer.connect();
  let n = 0;
  let sending: Promise<unknown> = Promise.resolve();
  const timer = setInterval(() => {
    const batch = Array.from({ length: Math.max(1, Math.round(perSecond / 4)) }, () => ({ key: String(n % 7), value: `m${n++}` }));
    sending = producer.send({ topic, messages: batch }).catch(() => undefined);
  }, 250);
  return async () => {
    clearInterval(timer);
    await sending;
    await producer.disconnect();
  };
}
