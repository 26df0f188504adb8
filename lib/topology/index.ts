/**
 * Topology identity: who is behind a client id, group, CloudEvents source, transactional id, and what a record's
 * headers claim about its producer. Design: /work/shared/research/lineage.md §3 (headers), §5.2 (service
 * resolution, evidence weights), §5.5 items 1–3 (spoofing/copying, high-cardinality ids, ephemeral tools).
 */
export {
  classifyClientId,
  isEphemeralGroup,
  isTopologClientId,
  matchOverride,
  normalizeClientId,
  serviceFromSource,
  serviceFromTransactionalId,
  serviceOfMember,
  type ClientKind,
  type IdentityOptions,
  type ServiceOverride,
} from './identity';
export {
  CLAIM_WEIGHTS,
  interpretHeaders,
  type ClaimVia,
  type DeadLetterFacts,
  type HeaderFacts,
  type HeaderOptions,
  type ProducerClaim,
  type RecordHeader,
  type StructuredCloudEvent,
} from './headers';
