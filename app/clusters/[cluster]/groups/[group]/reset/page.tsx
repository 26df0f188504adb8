import { ResetPage } from '../../../../../../components/replay/ResetPage';

export default async function GroupResetRoute({ params }: { params: Promise<{ cluster: string; group: string }> }) {
  const { cluster, group } = await params;
  return <ResetPage cluster={decodeURIComponent(cluster)} group={decodeURIComponent(group)} />;
}
