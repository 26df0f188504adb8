import type { ClusterConnectionState } from '../../lib/contract';

const LABEL: Record<ClusterConnectionState, string> = { ok: 'Connected', connecting: 'Connecting', unreachable: 'Unreachable' };

export function StatePill({ state }: { state: ClusterConnectionState }) {
  return (
    <span className={`pill pill-${state}`} data-testid="cluster-state" data-state={state}>
      <span className="dot" aria-hidden />
      {LABEL[state]}
    </span>
  );
}
