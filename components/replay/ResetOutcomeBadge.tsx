import type { ResetRecord } from '../../lib/contract';

const TONE: Record<ResetRecord['outcome'], string> = { applied: 'ok', partial: 'warn', failed: 'danger' };

export function ResetOutcomeBadge({ outcome }: { outcome: ResetRecord['outcome'] }) {
  return <span className={`rbadge rbadge-${TONE[outcome]}`} data-testid="reset-outcome" data-outcome={outcome}>{outcome}</span>;
}
