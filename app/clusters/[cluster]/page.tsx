import { ClusterPage } from '../../../components/overview/ClusterPage';

export default async function ClusterRoute({ params }: { params: Promise<{ cluster: string }> }) {
  const { cluster } = await params;
  return <ClusterPage cluster={decodeURIComponent(cluster)} />;
}
