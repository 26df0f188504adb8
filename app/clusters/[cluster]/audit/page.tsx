import { AuditPage } from '../../../../components/audit/AuditPage';

export default async function AuditRoute({ params }: { params: Promise<{ cluster: string }> }) {
  const { cluster } = await params;
  return <AuditPage cluster={decodeURIComponent(cluster)} />;
}
