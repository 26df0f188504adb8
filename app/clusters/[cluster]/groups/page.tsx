import { GroupsList } from '../../../../components/groups/GroupsList';
import { ClusterShell } from '../../../../components/overview/ClusterShell';
import { parseGroupsListParams } from '../../../../lib/groups/list-params';

/** Every consumer group of a cluster; filters and sort come from the address (?q= ?status= ?topic= ?sort=). */
export default async function GroupsRoute({ params, searchParams }: { params: Promise<{ cluster: string }>; searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const { cluster } = await params;
  const id = decodeURIComponent(cluster);
  return (
    <ClusterShell cluster={id} view="groups">
      <GroupsList key={id} cluster={id} initial={parseGroupsListParams(await searchParams)} />
    </ClusterShell>
  );
}
