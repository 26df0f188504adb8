'use client';
import type { OverviewData } from '../../lib/contract';

/**
 * What a list shows before it has rows to show: the refusal, "connecting", or "never answered" (an empty table
 * would read as "this cluster has none", which is not what we know). Null once there is data to list.
 */
export function listGate(error: string | null, data: OverviewData | null) {
  if (error) return <div className="notice notice-danger" role="alert">{error}</div>;
  if (!data) return <div className="notice" data-testid="loading">Connecting to Topolog…</div>;
  if (data.cluster.observedAt === null) {
    return (
      <div className="notice" data-testid="no-data">
        No data yet: Topolog has not been able to read this cluster. It keeps retrying, and this page updates by itself as soon as the cluster answers.
      </div>
    );
  }
  return null;
}
