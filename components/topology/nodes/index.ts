import type { NodeTypes } from '@xyflow/react';
import type { NodeKind } from '../../../lib/contract';
import { ClientNode } from './ClientNode';
import { ConnectorNode } from './ConnectorNode';
import { ExternalSystemNode } from './ExternalSystemNode';
import { GroupNode } from './GroupNode';
import { ServiceNode } from './ServiceNode';
import { StreamAppNode } from './StreamAppNode';
import { TopicNode } from './TopicNode';
import { UnknownProducerNode } from './UnknownProducerNode';

/** One component per node kind; module scope so React Flow sees a stable reference. */
export const nodeTypes = {
  service: ServiceNode,
  client: ClientNode,
  topic: TopicNode,
  consumerGroup: GroupNode,
  connector: ConnectorNode,
  streamApp: StreamAppNode,
  externalSystem: ExternalSystemNode,
  unknownProducer: UnknownProducerNode,
} satisfies Record<NodeKind, NodeTypes[string]>;
