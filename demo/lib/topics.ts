/** The topics and consumer groups of the demo scenario (shared by the runner and the services). */
export const TOPIC = {
  userRegistered: 'user.registered',
  emailDlq: 'email.dlq',
  orders: 'orders',
  payments: 'payments',
} as const

export interface DemoTopic {
  topic: string
  numPartitions: number
  replicationFactor: number
}

export const DEMO_TOPICS: readonly DemoTopic[] = [
  { topic: TOPIC.userRegistered, numPartitions: 3, replicationFactor: 1 },
  { topic: TOPIC.emailDlq, numPartitions: 1, replicationFactor: 1 },
  { topic: TOPIC.orders, numPartitions: 3, replicationFactor: 1 },
  { topic: TOPIC.payments, numPartitions: 3, replicationFactor: 1 },
]

export const DEMO_TOPIC_NAMES: readonly string[] = DEMO_TOPICS.map((t) => t.topic)

export const GROUP = {
  email: 'email-service',
  analytics: 'analytics-service',
  payment: 'payment-service',
  ledger: 'ledger-service',
} as const

export const DEMO_GROUPS: readonly string[] = [GROUP.email, GROUP.analytics, GROUP.payment, GROUP.ledger]
