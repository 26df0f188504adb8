import { GroupPage } from '../../../../../components/group/GroupPage';

export default async function GroupRoute({ params }: { params: Promise<{ cluster: string; group: string }> }) {
  const { cluster, group } = await params;
  return <GroupPage cluster={decodeURIComponent(cluster)} group={decodeURIComponent(group)} />;
}
