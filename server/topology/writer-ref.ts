import type { NodeRef } from '../../lib/topology/evidence';
import type { ClientKind } from '../../lib/topology/identity';

/** The node a client's owner becomes: tools and Topolog itself are services too, but hidden by default. */
export function ownerRef(kind: ClientKind, name: string): { ref: NodeRef; hidden: boolean } {
  switch (kind) {
    case 'connector':
      return { ref: { kind: 'connector', name }, hidden: false };
    case 'streamApp':
      return { ref: { kind: 'streamApp', name }, hidden: false };
    case 'tool':
    case 'topolog':
      return { ref: { kind: 'service', name }, hidden: true };
    default:
      return { ref: { kind: 'service', name }, hidden: false };
  }
}
