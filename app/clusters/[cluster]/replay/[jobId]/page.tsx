import { ReplayJobPage } from '../../../../../components/replay/ReplayJobPage';

export default async function ReplayJobRoute({ params }: { params: Promise<{ cluster: string; jobId: string }> }) {
  const { cluster, jobId } = await params;
  return <ReplayJobPage cluster={decodeURIComponent(cluster)} jobId={decodeURIComponent(jobId)} />;
}
