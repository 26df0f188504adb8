import { TopicsList } from '../../../../components/topics/TopicsList';
import { ClusterShell } from '../../../../components/overview/ClusterShell';
import { parseTopicsListParams } from '../../../../lib/topic-list';

/** Every topic of a cluster; ?q= filters by name, ?sort= orders, ?internal=1 shows internal topics. */
export default async function TopicsRoute({ params, searchParams }: { params: Promise<{ cluster: string }>; searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const { cluster } = await params;
  const id = decodeURIComponent(cluster);
  return (
    <ClusterShell cluster={id} view="topics">
      <TopicsList key={id} cluster={id} initial={parseTopicsListParams(await searchParams)} />
    </ClusterShell>
  );
}
