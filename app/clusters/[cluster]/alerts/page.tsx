import { AlertsPage } from '../../../../components/alerts/AlertsPage';

export default async function ClusterAlertsRoute({ params }: { params: Promise<{ cluster: string }> }) {
  const { cluster } = await params;
  return <AlertsPage cluster={decodeURIComponent(cluster)} />;
}
