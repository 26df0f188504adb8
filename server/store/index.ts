export { StoreError } from './errors';
export { LATEST_SCHEMA_VERSION, MIGRATIONS } from './migrations';
export { DB_FILE_NAME, openHistoryStore } from './open';
export type * from './types';
export { EvidenceLog } from './evidence-log';
export type { EdgeObservation, NodeObservation, RateRow } from './evidence-log';
