import { TopicPage } from '../../../../../components/topic/TopicPage';

export default async function TopicRoute({ params }: { params: Promise<{ cluster: string; topic: string }> }) {
  const { cluster, topic } = await params;
  return <TopicPage cluster={decodeURIComponent(cluster)} topic={decodeURIComponent(topic)} />;
}
