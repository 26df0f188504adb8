import { ReplayJobsPage } from '../../../../components/replay/ReplayJobsPage';

export default async function ReplayJobsRoute({ params }: { params: Promise<{ cluster: string }> }) {
  const { cluster } = await params;
  return <ReplayJobsPage cluster={decodeURIComponent(cluster)} />;
}
