import {
  findCoordinatorV4, listOffsetsV5, listOffsetsV6, listOffsetsV7, listOffsetsV8, listOffsetsV9, offsetFetchV6, offsetFetchV7, offsetFetchV8,
} from '@platformatic/kafka';
import type { ApiVersionRange } from './capabilities';
import { ApiKeys } from './capabilities';

/**
 * Picks, per API, the newest request version both sides speak. Topolog drives these low-level requests itself
 * (instead of the Admin helpers) to send exactly one request per leader or coordinator, with cached leaders and
 * coordinators: the admin helpers add a forced Metadata or FindCoordinator request to every call.
 */
export const LIST_OFFSETS = [listOffsetsV9, listOffsetsV8, listOffsetsV7, listOffsetsV6, listOffsetsV5] as const;
/** v8+ fetches many groups per request (KIP-709, brokers >= 3.0); v6/v7 one group per request. */
export const OFFSET_FETCH = [offsetFetchV8, offsetFetchV7, offsetFetchV6] as const;
export const FIND_COORDINATOR = [findCoordinatorV4] as const;

export const API_KEY_FIND_COORDINATOR = 10;

export function pickVersion<T extends { api: { version: number } }>(modules: readonly T[], apiKey: number, brokerApis: readonly ApiVersionRange[]): T | null {
  const range = brokerApis.find((a) => a.apiKey === apiKey);
  if (!range) return null;
  return modules.find((m) => m.api.version >= range.minVersion && m.api.version <= range.maxVersion) ?? null;
}

export { ApiKeys };
