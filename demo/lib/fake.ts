/** Tiny fake-data generator (no dependencies). */
import { randomBytes, randomInt, randomUUID } from 'node:crypto'

const FIRST_NAMES = [
  'Ada', 'Alan', 'Grace', 'Linus', 'Margaret', 'Ken', 'Barbara', 'Dennis', 'Frances', 'Edsger',
  'Radia', 'Tim', 'Hedy', 'John', 'Katherine', 'Donald', 'Sophie', 'Yukihiro', 'Anita', 'Guido',
  'Mary', 'Niklaus', 'Shafi', 'Leslie', 'Joan', 'Bjarne', 'Annie', 'Vint', 'Fran', 'James',
] as const
const LAST_NAMES = [
  'Lovelace', 'Turing', 'Hopper', 'Torvalds', 'Hamilton', 'Thompson', 'Liskov', 'Ritchie', 'Allen',
  'Dijkstra', 'Perlman', 'Berners-Lee', 'Lamarr', 'Backus', 'Johnson', 'Knuth', 'Wilson', 'Matsumoto',
  'Borg', 'van Rossum', 'Shaw', 'Wirth', 'Goldwasser', 'Lamport', 'Clarke', 'Stroustrup', 'Easley',
  'Cerf', 'Bilas', 'Gosling',
] as const
const DOMAINS = ['example.com', 'mail.test', 'inbox.example', 'corp.example', 'gmail.test', 'proton.test'] as const
const CURRENCIES = ['EUR', 'EUR', 'EUR', 'USD', 'USD', 'GBP', 'CHF'] as const

export function pick<T>(list: readonly T[]): T {
  const value = list[randomInt(list.length)]
  if (value === undefined) throw new Error('pick() from an empty list')
  return value
}

export const uuid = (): string => randomUUID()

export function shortId(prefix: string, bytes = 6): string {
  return `${prefix}_${randomBytes(bytes).toString('hex')}`
}

export interface UserRegistered {
  userId: string
  email: string
  name: string
  registeredAt: string
}

export function fakeUser(): UserRegistered {
  const first = pick(FIRST_NAMES)
  const last = pick(LAST_NAMES)
  const local = `${first}.${last}`.toLowerCase().replace(/[^a-z.]/g, '') + (randomInt(3) === 0 ? String(randomInt(10, 999)) : '')
  return {
    userId: shortId('usr'),
    email: `${local}@${pick(DOMAINS)}`,
    name: `${first} ${last}`,
    registeredAt: new Date().toISOString(),
  }
}

export interface OrderCreated {
  orderId: string
  userId: string
  amount: number
  currency: string
  createdAt: string
}

export function fakeOrder(): OrderCreated {
  // mostly small baskets, a long tail of big ones
  const amount = Math.round((5 + Math.random() ** 3 * 495) * 100) / 100
  return {
    orderId: shortId('ord'),
    userId: shortId('usr'),
    amount,
    currency: pick(CURRENCIES),
    createdAt: new Date().toISOString(),
  }
}

export type PaymentStatus = 'captured' | 'declined' | 'failed'

export interface PaymentProcessed {
  paymentId: string
  orderId: string
  status: PaymentStatus
  amount: number
}

export function paymentStatus(): PaymentStatus {
  const r = Math.random()
  if (r < 0.92) return 'captured'
  if (r < 0.98) return 'declined'
  return 'failed'
}

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms))

/** ms ± fraction, never negative */
export function jittered(ms: number, fraction = 0.3): number {
  return Math.max(0, ms * (1 + (Math.random() * 2 - 1) * fraction))
}
